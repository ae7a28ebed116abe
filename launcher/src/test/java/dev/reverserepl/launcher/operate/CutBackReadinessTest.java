package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.progress.AppliedPosition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cut-back readiness cannot claim too early: every stream of every shard must be known. */
class CutBackReadinessTest {
  private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

  private static AppliedPosition at(int partition, Instant commit) {
    return new AppliedPosition(
        "s1",
        partition,
        1,
        10,
        new ChangePosition(ChangePosition.toNanos(commit), "tx", 0, 0),
        10,
        0,
        T);
  }

  @Test
  void aPartitionWithoutAProgressRowIsNotCaughtUp() {
    ShardProgress one = ShardProgress.of("s1", false, List.of(at(0, T)), List.of(), List.of(), 2);
    assertEquals(Optional.empty(), one.appliedThrough());
    assertFalse(one.caughtUpTo(T.minusSeconds(60)));
    ShardProgress both =
        ShardProgress.of(
            "s1", false, List.of(at(0, T), at(1, T.plusSeconds(1))), List.of(), List.of(), 2);
    assertEquals(Optional.of(T), both.appliedThrough());
    assertTrue(both.caughtUpTo(T));
  }

  @Test
  void theProgressReaderExpectsTheConfiguredPartitions() {
    ProgressReader r = new ProgressReader(List.of()).withPartitionsPerShard(4);
    assertEquals(List.of(), r.read());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new ProgressReader(List.of()).withPartitionsPerShard(0));
  }
}
