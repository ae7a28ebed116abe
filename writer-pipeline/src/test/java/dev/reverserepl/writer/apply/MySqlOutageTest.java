package dev.reverserepl.writer.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.TestStreams;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 4 with the whole server gone: its own MariaDB, stopped mid-transaction for 10 s, then
 * restarted.
 */
class MySqlOutageTest {
  @TempDir Path tmp;

  @Test
  void rule4_theShardResumesAfterMySqlIsDownFor10SecondsAndNothingIsLost() throws Exception {
    try (EmbeddedMySql mysql = EmbeddedMySql.builder().withDurable(true).start()) {
      TestStreams.createShardDatabase(mysql, "outage");
      List<SequencedChange> s = TestStreams.randomStream("outage", 0, 1, 3000, 300, 44);
      try (ApplierFixture f =
          new ApplierFixture(mysql, "outage", "outage", tmp.resolve("dlq").toString())) {
        ApplySettings settings =
            ApplySettings.DEFAULT.withBatchSize(500).withMaxRowsPerStatement(50);
        f.applier(settings).apply(0, s.subList(0, 1000), 0);

        AtomicBoolean stopped = new AtomicBoolean();
        long[] downAt = {0};
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        ShardApplier a =
            f.applier(settings)
                .withStatementHook(
                    (c, n) -> {
                      if (n == 3 && stopped.compareAndSet(false, true)) {
                        mysql.stop();
                        downAt[0] = System.nanoTime();
                        CompletableFuture.runAsync(
                            () -> {
                              try {
                                TimeUnit.SECONDS.sleep(10);
                                mysql.restart();
                                restarted.complete(null);
                              } catch (Exception e) {
                                restarted.completeExceptionally(e);
                              }
                            });
                      }
                    });
        ApplyReport r = a.apply(0, s, 0);
        restarted.get(60, TimeUnit.SECONDS);
        double downSeconds = (System.nanoTime() - downAt[0]) / 1e9;
        System.out.printf(
            "rule4 outage: server down, apply resumed and finished %.1f s after the stop, %d retries%n",
            downSeconds, r.retries());
        assertTrue(stopped.get());
        assertTrue(r.retries() >= 1);
        assertEquals(1000, r.duplicates());
        assertEquals(2000, r.applied());
        try (Connection c = mysql.connect("outage")) {
          assertEquals(TestStreams.expectedRows(s), TestStreams.actualRows(c));
        }
        AppliedPosition end = a.position(0);
        assertEquals(3000, end.sequence());
        assertEquals(3000, end.appliedCount(), "every change applied exactly once");
      }
    }
  }
}
