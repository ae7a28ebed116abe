package dev.reverserepl.writer.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.control.ControlTable.ControlRow;
import dev.reverserepl.common.control.MySqlPauseGate;
import dev.reverserepl.common.control.PauseState;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.TestStreams;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 17 of the module README: a pause is checked under lock and acknowledged. */
class PauseAcknowledgementTest {
  private static final String DB = "wr_pause";
  private static final ControlTable CONTROL = new ControlTable();
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;
  private ApplierFixture shard;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  @BeforeEach
  void database() {
    TestStreams.createShardDatabase(mysql, DB);
    shard = new ApplierFixture(mysql, "shard1", DB, tmp.resolve("dlq").toString());
  }

  @AfterEach
  void close() {
    shard.close();
  }

  private MySqlPauseGate gate(Duration watch) {
    return new MySqlPauseGate(shard.dataSource(), CONTROL, Duration.ofMillis(50), watch);
  }

  @Test
  void rule17_pauseWaitsForTheTransactionInFlightThenNothingCommitsUntilResume() throws Exception {
    List<SequencedChange> stream = TestStreams.randomStream("shard1", 0, 1, 3000, 200, 171);
    // Envelopes of 50 changes, each one MySQL transaction (the batch size is larger).
    int batch = 50;
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int[] transactions = {0};
    try (MySqlPauseGate gate = gate(Duration.ofHours(1))) {
      ShardApplier applier =
          shard
              .applier(ApplySettings.DEFAULT.withBatchSize(100))
              .withPauseGate(gate)
              .withStatementHook(
                  (c, n) -> {
                    if (n == 1 && ++transactions[0] == 5) {
                      inFlight.countDown();
                      await(release);
                    }
                  });
      // A steady stream: the writer is handed one envelope after another.
      CompletableFuture<Long> applying =
          CompletableFuture.supplyAsync(
              () -> {
                long applied = 0;
                for (int i = 0; i < stream.size(); i += batch) {
                  applied += applier.apply(0, stream.subList(i, i + batch), 0).applied();
                }
                return applied;
              });
      assertTrue(inFlight.await(60, TimeUnit.SECONDS), "the fifth transaction started");
      CompletableFuture<Void> pausing = CompletableFuture.runAsync(() -> setPaused(true));
      waitFor(this::pauseWaitsForALock, "the pause waits for the transaction in flight");
      assertFalse(pausing.isDone());
      release.countDown();
      pausing.get(60, TimeUnit.SECONDS);

      waitFor(() -> control().state() == PauseState.PAUSED, "the writer acknowledged");
      // The transaction in flight when the pause was asked for committed; nothing after it.
      AppliedPosition atAck = applier.position(0);
      assertEquals(5L * batch, atAck.sequence());
      assertEquals(TestStreams.expectedRows(stream.subList(0, 5 * batch)), rows());
      Thread.sleep(2000);
      assertEquals(atAck, applier.position(0));
      assertEquals(TestStreams.expectedRows(stream.subList(0, 5 * batch)), rows());
      assertFalse(applying.isDone());

      setPaused(false);
      assertEquals(3000L, applying.get(120, TimeUnit.SECONDS));
      assertEquals(TestStreams.expectedRows(stream), rows());
      AppliedPosition end = applier.position(0);
      assertEquals(3000, end.sequence());
      assertEquals(3000, end.appliedCount(), "nothing applied twice");
    }
  }

  @Test
  void rule17_resumeClearsTheAckAndAnAckOfAnEarlierPauseDoesNotCountForANewOne() throws Exception {
    List<SequencedChange> stream = TestStreams.randomStream("shard1", 0, 1, 200, 50, 172);
    try (MySqlPauseGate gate = gate(Duration.ofHours(1))) {
      ShardApplier applier =
          shard.applier(ApplySettings.DEFAULT.withBatchSize(50)).withPauseGate(gate);
      applier.apply(0, stream.subList(0, 50), 0);
      setPaused(true);
      long first = control().pauseId();
      assertEquals(PauseState.PAUSE_REQUESTED, control().state());
      CompletableFuture<ApplyReport> held =
          CompletableFuture.supplyAsync(() -> applier.apply(0, stream.subList(50, 100), 0));
      waitFor(() -> control().state() == PauseState.PAUSED, "the held writer acknowledged");
      assertEquals(first, control().ackPauseId());
      setPaused(true);
      assertEquals(first, control().pauseId(), "pausing a paused shard keeps its pause");
      assertEquals(PauseState.PAUSED, control().state());

      setPaused(false);
      ControlRow resumed = control();
      assertEquals(PauseState.RUNNING, resumed.state());
      assertEquals(0, resumed.ackPauseId());
      assertNull(resumed.ackAt());
      assertEquals(50, held.get(60, TimeUnit.SECONDS).applied());

      // A writer that acknowledged the first pause and then crashed left its acknowledgement.
      try (Connection c = shard.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE rr_control SET ack_pause_id = " + first + ", ack_at = NOW(6) WHERE id = 1");
      }
      setPaused(true);
      ControlRow second = control();
      assertTrue(second.pauseId() > first, "a new pause gets a new id");
      assertEquals(first, second.ackPauseId());
      assertEquals(PauseState.PAUSE_REQUESTED, second.state());

      CompletableFuture<ApplyReport> again =
          CompletableFuture.supplyAsync(() -> applier.apply(0, stream.subList(100, 200), 0));
      waitFor(() -> control().ackPauseId() == second.pauseId(), "the new pause acknowledged");
      assertEquals(PauseState.PAUSED, control().state());
      assertEquals(TestStreams.expectedRows(stream.subList(0, 100)), rows());
      setPaused(false);
      assertEquals(100, again.get(60, TimeUnit.SECONDS).applied());
      assertEquals(TestStreams.expectedRows(stream), rows());
      assertEquals(200, applier.position(0).appliedCount());
    }
  }

  @Test
  void rule17_anIdleWriterAcknowledgesAPauseWithoutATransaction() throws Exception {
    List<SequencedChange> stream = TestStreams.randomStream("shard1", 0, 1, 20, 10, 173);
    try (MySqlPauseGate gate = gate(Duration.ofMillis(100))) {
      ShardApplier applier = shard.applier(ApplySettings.DEFAULT).withPauseGate(gate);
      applier.apply(0, stream, 0);
      setPaused(true);
      waitFor(() -> control().state() == PauseState.PAUSED, "the idle writer acknowledged");
      assertTrue(control().ackBy().startsWith("rr-writer "), control().ackBy());
      setPaused(false);
      assertEquals(PauseState.RUNNING, control().state());
    }
  }

  private boolean pauseWaitsForALock() {
    try (Connection c = mysql.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs =
            // the pause statement still executing: MariaDB lists it in PROCESSLIST, but does not
            // always show its autocommit transaction as LOCK WAIT in INNODB_TRX
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE info LIKE 'INSERT INTO `rr_control`%'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void setPaused(boolean paused) {
    try (Connection c = mysql.connect(DB)) {
      CONTROL.createIfMissing(c);
      CONTROL.setPaused(c, paused, Instant.now(), "test");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private ControlRow control() {
    try (Connection c = mysql.connect(DB)) {
      return CONTROL.read(c).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> rows() throws SQLException {
    try (Connection c = mysql.connect(DB)) {
      return TestStreams.actualRows(c);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
