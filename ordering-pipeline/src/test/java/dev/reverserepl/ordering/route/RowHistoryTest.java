package dev.reverserepl.ordering.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule R2 of the module README for one row, in the plain class the per-row stage hands to. */
class RowHistoryTest {
  private static final long MS = 1_000_000L;

  private static Sighting seen(long millis, String shard) {
    return new Sighting(new ChangePosition(millis * MS, "tx" + millis, 0, 0), shard);
  }

  private static RoutingAttempt delete(long millis) {
    Change c =
        new Change(
            "parcel",
            ModKind.DELETE,
            "{\"parcel_id\":\"1\"}",
            "{}",
            new ChangePosition(millis * MS, "tx" + millis, 0, 0),
            "",
            1);
    return new RoutingAttempt(c, null, "keys lack migration_shard_id", true);
  }

  @Test
  void ruleR2_aDeleteTakesTheShardOfTheNewestSightingBeforeItWhateverTheOrderTheyArrived() {
    // arrival order: 30 (B), 10 (A), 50 (A); deletes at 40 and 20
    List<Sighting> recent = new ArrayList<>(List.of(seen(30, "B"), seen(10, "A"), seen(50, "A")));
    RowHistory.Release r = RowHistory.release(null, recent, List.of(delete(40), delete(20)), 100);
    assertEquals(2, r.resolved());
    assertEquals(List.of("A", "B"), r.released().stream().map(RoutingAttempt::shardId).toList());
    assertEquals(seen(50, "A"), r.last(), "compacted to the newest final sighting");
    assertTrue(r.recent().isEmpty());
    assertTrue(r.waiting().isEmpty());
  }

  @Test
  void ruleR2_onlyWhatTheWatermarkPassedIsReleasedOrCompacted() {
    List<Sighting> recent = List.of(seen(10, "A"), seen(20, "B"), seen(60, "A"));
    RowHistory.Release r = RowHistory.release(null, recent, List.of(delete(25), delete(70)), 50);
    assertEquals(1, r.released().size());
    assertEquals("B", r.released().get(0).shardId());
    assertEquals(seen(20, "B"), r.last());
    assertEquals(List.of(seen(60, "A")), r.recent());
    assertEquals(1, r.waiting().size());
    // next release: the delete at 70 sees the sighting at 60, kept although its shard repeats
    RowHistory.Release next = RowHistory.release(r.last(), r.recent(), r.waiting(), 80);
    assertEquals("A", next.released().get(0).shardId());
    assertEquals(seen(60, "A"), next.last());
  }

  @Test
  void ruleR2_aDeleteWithNoEarlierSightingIsReleasedUnresolvedWithItsReason() {
    RowHistory.Release r =
        RowHistory.release(null, List.of(seen(30, "A")), List.of(delete(20)), 40);
    assertEquals(0, r.resolved());
    RoutingAttempt out = r.released().get(0);
    assertNull(out.shardId());
    assertTrue(out.reason().contains("no earlier change of this row"), out.reason());
  }

  @Test
  void ruleR2_compactionKeepsOneSightingForARowUpdatedManyTimes() {
    List<Sighting> recent = new ArrayList<>();
    for (int i = 1; i <= 1_000; i++) {
      recent.add(seen(i, "A"));
    }
    RowHistory.Release r = RowHistory.release(seen(0, "A"), recent, List.of(), 2_000);
    assertEquals(seen(1_000, "A"), r.last());
    assertTrue(r.recent().isEmpty());
  }
}
