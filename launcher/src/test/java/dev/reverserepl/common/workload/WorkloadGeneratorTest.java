package dev.reverserepl.common.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator gives exactly the changes asked for, however many single attempts fail on the way
 * (a delete whose children do not fit the transaction, a row already touched): only attempts that
 * fail in a row mean that the session's key space is exhausted.
 */
class WorkloadGeneratorTest {
  @TempDir Path dir;

  @Test
  void occasionalFailedAttemptsNeverEndALongWorkload() throws Exception {
    Path session = dir.resolve("session.json");
    try (var in = getClass().getClassLoader().getResourceAsStream("sample/session.json")) {
      Files.copy(in, session);
    }
    // the sample interleaves orders in customers: in one-mod transactions the delete of every
    // customer with orders fails, again and again
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(60_000)
            .withSeed(3)
            .withShardIds(List.of("s1", "s2"))
            .withMaxTransactionSize(1)
            .withMix(0.0, 0.6)
            .withForwardMigrationShare(0)
            .withSkippedTableShare(0);
    AtomicLong mods = new AtomicLong();
    WorkloadSummary summary =
        WorkloadGenerator.forSessionFile(session.toString(), spec)
            .generate(r -> mods.addAndGet(r.getMods().size()));
    assertEquals(60_000, mods.get());
    assertEquals(60_000, summary.replicated());
  }
}
