package dev.reverserepl.writer.resequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardAppliers;
import dev.reverserepl.writer.options.WriterConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 11 of the module README: runs released within one bundle are applied together. */
class RunCoalescerTest {
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  @Test
  void rule11_runsReleasedWithinOneBundleAreAppliedTogetherInOrderUpToTheReleaseBound()
      throws Exception {
    TestStreams.createShardDatabase(mysql, "rc_join");
    Shard shard = mysql.shard("join", "rc_join");
    List<SequencedChange> stream = TestStreams.randomStream("join", 0, 1, 300, 40, 5);
    List<Envelope> envelopes = TestStreams.envelopes(stream, 30);
    WriterConfig config =
        WriterConfig.of(List.of(shard), TestStreams.session(), tmp.resolve("dlq").toString());
    try (ShardAppliers appliers = new ShardAppliers(config)) {
      ShardApplier a = appliers.forShard("join").orElseThrow();
      RunCoalescer<Integer> coalescer = new RunCoalescer<>(200);
      MemoryResequenceState state = new MemoryResequenceState();
      List<RunCoalescer.Applied<Integer>> applied = new ArrayList<>();
      for (int i = 0; i < envelopes.size(); i++) {
        Release r =
            Resequencer.offer(state, envelopes.get(i), () -> AppliedPosition.initial("join", 0));
        applied.addAll(coalescer.offer("join#0", a, 0, r, state.pendingCount(), i));
      }
      // Six envelopes of 30 make 180; the seventh would pass 200, so the first six go together.
      assertEquals(1, applied.size());
      assertEquals(180, applied.get(0).summary().lastSequence());
      assertEquals(5, applied.get(0).where());
      try (Connection c = mysql.connect("rc_join")) {
        assertEquals(180, progress(c).sequence(), "the rest waits for the end of the bundle");
      }

      applied.addAll(coalescer.flushAll());

      assertEquals(2, applied.size());
      assertEquals(300, applied.get(1).summary().lastSequence());
      assertEquals(9, applied.get(1).where());
      try (Connection c = mysql.connect("rc_join")) {
        assertEquals(TestStreams.expectedRows(stream), TestStreams.actualRows(c));
        assertEquals(300, progress(c).sequence());
        assertEquals(300, progress(c).appliedCount(), "each change applied exactly once");
      }
    }
  }

  private static AppliedPosition progress(Connection c) throws Exception {
    return new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c).get(0);
  }
}
