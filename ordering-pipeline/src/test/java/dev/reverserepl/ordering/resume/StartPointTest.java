package dev.reverserepl.ordering.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.progress.ShardPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a new ordering job starts reading the change stream (StartPoint rules R1–R4). */
class StartPointTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  private static ShardPositions.Snapshot streams(Instant... through) {
    List<ShardPositions.Stream> s = new java.util.ArrayList<>();
    for (int i = 0; i < through.length; i++) {
      s.add(
          new ShardPositions.Stream("shard" + (i / 2 + 1), i % 2, Optional.ofNullable(through[i])));
    }
    return new ShardPositions.Snapshot(s);
  }

  @Test
  void ruleR1_theFirstLaunchStartsNow() {
    StartPoint p = StartPoint.decide(Optional.empty(), streams(null, null), false, DAY, NOW);
    assertEquals(NOW, p.start());
    assertFalse(p.fromShards());
  }

  @Test
  void ruleR2_withoutStartTimestampTheReadResumesFromTheEarliestStreamOfAllShards() {
    Instant a = NOW.minusSeconds(30);
    Instant b = NOW.minusSeconds(300);
    StartPoint p =
        StartPoint.decide(
            Optional.empty(),
            streams(a, NOW.minusSeconds(10), NOW.minusSeconds(20), b),
            false,
            DAY,
            NOW);
    assertEquals(b, p.start());
    assertTrue(p.fromShards());
  }

  @Test
  void ruleR2_aStreamWithoutPositionWhileOthersHaveOneIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                StartPoint.decide(
                    Optional.empty(), streams(NOW.minusSeconds(5), null), false, DAY, NOW));
    assertTrue(e.getMessage().contains("shard1#1"), e.getMessage());
  }

  @Test
  void ruleR3_anExplicitStartLaterThanAShardsPositionIsRefusedUnlessAllowed() {
    ShardPositions.Snapshot s = streams(NOW.minusSeconds(100), NOW.minusSeconds(10));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> StartPoint.decide(Optional.of(NOW.minusSeconds(50)), s, false, DAY, NOW));
    assertTrue(
        e.getMessage().contains("shard1 partition 0")
            && e.getMessage().contains("allowStartAfterShardPositions"),
        e.getMessage());
    assertEquals(
        NOW.minusSeconds(50),
        StartPoint.decide(Optional.of(NOW.minusSeconds(50)), s, true, DAY, NOW).start());
    assertEquals(
        NOW.minusSeconds(200),
        StartPoint.decide(Optional.of(NOW.minusSeconds(200)), s, false, DAY, NOW).start());
  }

  @Test
  void ruleR4_aResumePointOlderThanTheRetentionIsAClearError() {
    ShardPositions.Snapshot s = streams(NOW.minus(Duration.ofHours(30)), NOW);
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> StartPoint.decide(Optional.empty(), s, false, DAY, NOW));
    assertTrue(e.getMessage().contains("retention"), e.getMessage());
    assertEquals(
        NOW.minus(Duration.ofHours(30)),
        StartPoint.decide(Optional.empty(), s, false, Duration.ofDays(7), NOW).start());
  }

  @Test
  void ruleR4_theRetentionOptionIsParsedAndDefaultsToOneDay() {
    assertEquals(Optional.of(Duration.ofDays(7)), ChangeStreamRetention.parse("7d"));
    assertEquals(Optional.of(Duration.ofHours(36)), ChangeStreamRetention.parse("36h"));
    assertEquals(Optional.of(Duration.ofMinutes(90)), ChangeStreamRetention.parse("90m"));
    assertEquals(Optional.of(Duration.ofSeconds(3600)), ChangeStreamRetention.parse("3600s"));
    assertTrue(ChangeStreamRetention.parse("a week").isEmpty());
    assertEquals(Duration.ofDays(1), ChangeStreamRetention.DEFAULT);
  }
}
