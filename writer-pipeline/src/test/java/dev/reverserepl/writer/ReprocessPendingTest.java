package dev.reverserepl.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.options.WriterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 6: after a reprocess, the entries directly in the dead-letter directory are exactly the
 * pending ones.
 */
class ReprocessPendingTest {
  @TempDir Path tmp;

  @Test
  void rule6_reprocessMovesWhatItProcessedOutOfThePendingDirectory() throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    TestStreams.createShardDatabase(mysql, "wr_pending");
    Shard shard = mysql.shard("shard1", "wr_pending");
    String dlq = tmp.resolve("dlq").toString();
    DeadLetterQueue queue = new DeadLetterQueue(dlq);
    DeadLetter fixed =
        new DeadLetter(
            DeadLetter.STAGE_APPLY,
            "shard1",
            TestStreams.users(ModKind.INSERT, 41, "now fits", "x", 1, 0),
            "was too long",
            1,
            Instant.now());
    DeadLetter routing =
        new DeadLetter(
            DeadLetter.STAGE_ROUTING,
            null,
            TestStreams.users(ModKind.DELETE, 42, "", "x", 2, 0),
            "no shard",
            1,
            Instant.now());
    queue.writeAll(List.of(fixed));
    queue.writeAll(List.of(routing));
    assertEquals(2, DeadLetterQueue.files(dlq).size());

    ReprocessReport r =
        Reprocess.run(
            WriterConfig.of(List.of(shard), TestStreams.session(), dlq),
            dlq,
            tmp.resolve("out").toString());

    assertEquals(1, r.applied() + r.superseded(), r.toString());
    List<DeadLetter> pending = DeadLetterQueue.readAll(dlq);
    assertEquals(
        1, pending.size(), "only the routing entry, which no reprocess can apply, stays pending");
    assertEquals(DeadLetter.STAGE_ROUTING, pending.get(0).stage());
    Path processed = Path.of(dlq, Reprocess.PROCESSED);
    try (var dirs = Files.list(processed)) {
      Path run = dirs.findFirst().orElseThrow();
      assertEquals(
          2, DeadLetterQueue.files(run.toString()).size(), "the files read moved to " + run);
    }
    Reprocess.run(
        WriterConfig.of(List.of(shard), TestStreams.session(), dlq),
        dlq,
        tmp.resolve("out2").toString());
    assertEquals(
        1, DeadLetterQueue.readAll(dlq).size(), "a second run keeps the one pending entry, once");
    assertTrue(DeadLetterQueue.readAll(tmp.resolve("out2").toString()).size() == 1);
  }
}
