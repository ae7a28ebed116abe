package dev.reverserepl.writer.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.Reprocess;
import dev.reverserepl.writer.ReprocessReport;
import dev.reverserepl.writer.TestStreams;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply rules of the module README, against a real MariaDB with two shard databases. */
class ApplyRulesTest {
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;
  private ApplierFixture shard1;
  private ApplierFixture shard2;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  @BeforeEach
  void databases() {
    TestStreams.createShardDatabase(mysql, "wr_shard1");
    TestStreams.createShardDatabase(mysql, "wr_shard2");
    shard1 = new ApplierFixture(mysql, "shard1", "wr_shard1", tmp.resolve("dlq").toString());
    shard2 = new ApplierFixture(mysql, "shard2", "wr_shard2", tmp.resolve("dlq").toString());
  }

  @AfterEach
  void close() {
    shard1.close();
    shard2.close();
  }

  private Map<String, String> rows(String db) throws Exception {
    try (Connection c = mysql.connect(db)) {
      return TestStreams.actualRows(c);
    }
  }

  @Test
  void rule1_eachShardEndsWithExactlyTheRowsOfItsStream() throws Exception {
    List<SequencedChange> s1 = TestStreams.randomStream("shard1", 0, 1, 3000, 200, 11);
    List<SequencedChange> s2 = TestStreams.randomStream("shard2", 0, 1, 3000, 200, 12);
    ApplyReport r1 = shard1.applier(ApplySettings.DEFAULT.withBatchSize(250)).apply(0, s1, 0);
    ApplyReport r2 = shard2.applier(ApplySettings.DEFAULT.withBatchSize(250)).apply(0, s2, 0);
    assertEquals(3000, r1.applied());
    assertEquals(3000, r2.applied());
    assertEquals(TestStreams.expectedRows(s1), rows("wr_shard1"));
    assertEquals(TestStreams.expectedRows(s2), rows("wr_shard2"));
    assertEquals(3000, r1.position().sequence());
  }

  @Test
  void rule2_changesAtOrBelowTheAppliedPositionAreSkipped() throws Exception {
    List<SequencedChange> s = TestStreams.randomStream("shard1", 0, 1, 1000, 50, 21);
    ShardApplier a = shard1.applier(ApplySettings.DEFAULT.withBatchSize(100));
    a.apply(0, s.subList(0, 600), 0);
    // Redelivery overlapping what is applied: 0..599 again plus the rest.
    ApplyReport again = a.apply(0, s, 0);
    assertEquals(600, again.duplicates());
    assertEquals(400, again.applied());
    ApplyReport third = a.apply(0, s, 0);
    assertEquals(1000, third.duplicates());
    assertEquals(0, third.applied());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
    assertEquals(1000, a.position(0).appliedCount());
  }

  @Test
  void rule3_aWriterCrashingMidTransactionLosesAndDuplicatesNothing() throws Exception {
    List<SequencedChange> s = TestStreams.randomStream("shard1", 0, 1, 2000, 100, 31);
    ApplySettings settings = ApplySettings.DEFAULT.withBatchSize(300).withMaxRowsPerStatement(20);
    int[] transactions = {0};
    ShardApplier crashing =
        shard1
            .applier(settings)
            .withStatementHook(
                (c, n) -> {
                  if (n == 1) {
                    transactions[0]++;
                  }
                  if (transactions[0] == 3 && n == 4) {
                    throw new SimulatedCrash();
                  }
                });
    assertThrows(SimulatedCrash.class, () -> crashing.apply(0, s, 0));
    AppliedPosition afterCrash = shard1.applier(settings).position(0);
    assertTrue(
        afterCrash.sequence() > 0 && afterCrash.sequence() < 2000, "crash happened mid-stream");
    // Rows in MySQL are exactly the stream's prefix up to the recorded position: nothing of the
    // crashed
    // transaction is visible.
    List<SequencedChange> prefix = s.subList(0, (int) afterCrash.sequence());
    assertEquals(TestStreams.expectedRows(prefix), rows("wr_shard1"));
    assertEquals(afterCrash.sequence(), afterCrash.appliedCount());

    // Restart: a new applier gets the whole stream redelivered.
    ApplyReport restart = shard1.applier(settings).apply(0, s, 0);
    assertEquals(afterCrash.sequence(), restart.duplicates());
    assertEquals(2000 - afterCrash.sequence(), restart.applied());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
    AppliedPosition end = shard1.applier(settings).position(0);
    assertEquals(2000, end.sequence());
    assertEquals(2000, end.appliedCount(), "every change applied exactly once");
    System.out.println(
        "rule3: crashed after sequence "
            + afterCrash.sequence()
            + ", resumed to "
            + end.sequence());
  }

  @Test
  void rule4_aKilledConnectionIsRetriedWithoutLossOrDuplication() throws Exception {
    List<SequencedChange> s = TestStreams.randomStream("shard2", 0, 1, 1500, 100, 41);
    AtomicBoolean killed = new AtomicBoolean();
    ShardApplier a =
        shard2
            .applier(ApplySettings.DEFAULT.withBatchSize(400).withMaxRowsPerStatement(50))
            .withStatementHook(
                (c, n) -> {
                  if (n == 2 && killed.compareAndSet(false, true)) {
                    long id;
                    try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
                      rs.next();
                      id = rs.getLong(1);
                    }
                    try (Connection other = mysql.connect("wr_shard2");
                        Statement st = other.createStatement()) {
                      st.execute("KILL " + id);
                    }
                  }
                });
    ApplyReport r = a.apply(0, s, 0);
    assertTrue(killed.get());
    assertTrue(r.retries() >= 1, "the killed transaction was retried");
    assertEquals(1500, r.applied());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard2"));
    assertEquals(1500, a.position(0).appliedCount());
  }

  @Test
  void rule5_aPoisonChangeIsDeadLetteredAndTheRestOfTheShardIsApplied() throws Exception {
    narrowNameColumn("wr_shard1");
    List<SequencedChange> s = poisonedStream();
    ShardApplier a = shard1.applier(ApplySettings.DEFAULT.withBatchSize(50));
    ApplyReport r = a.apply(0, s, 0);
    assertEquals(2, r.deadLettered());
    assertEquals(s.size() - 2, r.applied());
    List<DeadLetter> dlq = DeadLetterQueue.readAll(tmp.resolve("dlq").toString());
    assertEquals(2, dlq.size());
    for (int i = 0; i < 2; i++) {
      int poison = POISONS.get(i);
      DeadLetter d =
          dlq.stream()
              .filter(x -> x.change().equals(s.get(poison).change()))
              .findFirst()
              .orElseThrow();
      assertEquals("apply", d.stage());
      assertEquals("shard1", d.shardId());
      assertTrue(d.error().contains("Data too long"), d.error());
      assertTrue(d.attempts() >= 1);
    }
    assertEquals(TestStreams.expectedRows(withoutPoisons(s)), rows("wr_shard1"));
    assertEquals(s.size(), a.position(0).sequence(), "the position moved past the poison changes");
    assertEquals(s.size() - 2, a.position(0).appliedCount());
  }

  @Test
  void rule6_reprocessAppliesDeadLettersOnceTheCauseIsFixed() throws Exception {
    narrowNameColumn("wr_shard1");
    List<SequencedChange> s = poisonedStream();
    shard1.applier(ApplySettings.DEFAULT.withBatchSize(50)).apply(0, s, 0);
    String dlq = tmp.resolve("dlq").toString();

    // Still broken: stays dead-lettered, in the new directory. The poison whose row was written
    // again later is
    // superseded and never re-applied (it would overwrite the newer row).
    ReprocessReport before =
        Reprocess.reprocess(
            DeadLetterQueue.readAll(dlq),
            id -> Optional.of(shard1.applier(ApplySettings.DEFAULT)),
            new DeadLetterQueue(tmp.resolve("dlq-2").toString()));
    assertEquals(1, before.stillFailing());
    assertEquals(1, before.superseded());
    assertEquals(1, DeadLetterQueue.readAll(tmp.resolve("dlq-2").toString()).size());

    try (Connection c = mysql.connect("wr_shard1");
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE Guests MODIFY name VARCHAR(25)");
    }
    ReprocessReport after =
        Reprocess.reprocess(
            DeadLetterQueue.readAll(dlq),
            id -> Optional.of(shard1.applier(ApplySettings.DEFAULT)),
            new DeadLetterQueue(tmp.resolve("dlq-3").toString()));
    assertEquals(1, after.applied());
    assertEquals(1, after.superseded());
    assertEquals(0, after.stillFailing());
    assertTrue(DeadLetterQueue.readAll(tmp.resolve("dlq-3").toString()).isEmpty());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
    // Reprocessing again changes nothing: the row is no longer listed as dead-lettered.
    ReprocessReport again =
        Reprocess.reprocess(
            DeadLetterQueue.readAll(dlq),
            id -> Optional.of(shard1.applier(ApplySettings.DEFAULT)),
            new DeadLetterQueue(tmp.resolve("dlq-4").toString()));
    assertEquals(0, again.applied());
    assertEquals(2, again.superseded());
  }

  @Test
  void rule8_aChangeToAKeyNeverPassesAnEarlierChangeToTheSameKey() throws Exception {
    // Few keys, many changes: every multi-row statement holds repeated keys and upsert/delete
    // switches.
    List<SequencedChange> s = TestStreams.randomStream("shard1", 0, 1, 5000, 8, 81);
    ShardApplier a =
        shard1.applier(ApplySettings.DEFAULT.withBatchSize(1000).withMaxRowsPerStatement(7));
    a.apply(0, s, 0);
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
  }

  @Test
  void rule8_aDeleteAfterAnUpsertOfItsKeyLeavesTheOpenGroupsOpen() throws Exception {
    // Each row is inserted and updated, and every other row deleted again, all in one batch: the
    // deletes take their keys out of the open upsert group instead of cutting it.
    List<SequencedChange> s = new ArrayList<>();
    long tx = 1;
    for (int id = 0; id < 100; id++) {
      s.add(step(s, TestStreams.users(ModKind.INSERT, id, "a" + id, "g", tx++, 0)));
      s.add(step(s, TestStreams.users(ModKind.UPDATE, id, "b" + id, "h", tx++, 0)));
      if (id % 2 == 0) {
        s.add(step(s, TestStreams.users(ModKind.DELETE, id, null, null, tx++, 0)));
      }
    }
    int[] statements = {0};
    ShardApplier a =
        shard1
            .applier(ApplySettings.DEFAULT.withBatchSize(1000))
            .withStatementHook((c, n) -> statements[0]++);
    ApplyReport r = a.apply(0, s, 0);
    assertEquals(s.size(), r.applied());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
    assertEquals(50, rows("wr_shard1").size());
    assertEquals(2, statements[0], "one upsert and one delete statement");
  }

  @Test
  void rule3_theTransactionsOfOneApplyCallShareOneConnectionOfThePool() throws Exception {
    List<SequencedChange> s = TestStreams.randomStream("shard1", 0, 1, 3000, 200, 13);
    int[] taken = {0};
    javax.sql.DataSource counting =
        (javax.sql.DataSource)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    taken[0]++;
                  }
                  try {
                    return method.invoke(shard1.dataSource(), args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ShardApplier a =
        shard1.applier(
            ApplySettings.DEFAULT.withBatchSize(250), ApplierFixture.FAST_RETRY, counting);
    a.position(0);
    int before = taken[0];
    ApplyReport r = a.apply(0, s, 0);
    assertEquals(3000, r.applied());
    assertEquals(1, taken[0] - before, "one connection for all of the call's transactions");
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard1"));
  }

  private static SequencedChange step(List<SequencedChange> before, Change c) {
    return new SequencedChange("shard1", 0, 1, before.size() + 1, true, c);
  }

  @Test
  void applyRate_oneLocalShard() throws Exception {
    int n = 30_000;
    List<SequencedChange> s = TestStreams.randomStream("shard2", 0, 1, n, 10_000, 91);
    ShardApplier a = shard2.applier(ApplySettings.DEFAULT);
    a.apply(0, s.subList(0, 2000), 0);
    long t0 = System.nanoTime();
    ApplyReport r = a.apply(0, s, 0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "APPLY RATE one local shard: %d changes in %.2f s = %.0f rows/s (batch %d)%n",
        r.applied(), seconds, r.applied() / seconds, ApplySettings.DEFAULT.batchSize());
    long t1 = System.nanoTime();
    for (SequencedChange c : s) {
      shard2.translator.translate(c.change());
    }
    System.out.printf("  of which translation alone: %.2f s%n", (System.nanoTime() - t1) / 1e9);
    assertEquals(n - 2000, r.applied());
    assertEquals(TestStreams.expectedRows(s), rows("wr_shard2"));
  }

  /**
   * Change 37 (row 37, written again by change 97) and change 75 (row 15, its last write) are
   * poison.
   */
  static final List<Integer> POISONS = List.of(37, 75);

  /**
   * 100 Guests changes over 60 rows; the poison changes carry a name too long for the narrowed
   * column.
   */
  private static List<SequencedChange> poisonedStream() {
    List<SequencedChange> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String name = POISONS.contains(i) ? "a-name-much-too-long" : "n" + i;
      out.add(
          new SequencedChange(
              "shard1",
              0,
              1,
              i + 1,
              true,
              TestStreams.users(ModKind.INSERT, i % 60, name, "x", i + 1, 0)));
    }
    return out;
  }

  private static List<SequencedChange> withoutPoisons(List<SequencedChange> s) {
    List<SequencedChange> out = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      if (!POISONS.contains(i)) {
        out.add(s.get(i));
      }
    }
    return out;
  }

  private static void narrowNameColumn(String db) throws Exception {
    try (Connection c = mysql.connect(db);
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE Guests MODIFY name VARCHAR(10)");
    }
  }

  @Test
  void rule7_aRunOfOnlyDuplicatesStillRecordsTheNewEpoch() throws Exception {
    List<SequencedChange> epoch1 = TestStreams.randomStream("shard1", 0, 1, 50, 20, 71);
    ShardApplier a = shard1.applier(ApplySettings.DEFAULT);
    a.apply(0, epoch1, 0);
    // A new epoch re-publishes the same changes from sequence 1: every one is a duplicate.
    List<SequencedChange> epoch2 = new ArrayList<>();
    for (SequencedChange c : epoch1) {
      epoch2.add(
          new SequencedChange("shard1", 0, 2, c.sequence(), c.endOfTransaction(), c.change()));
    }
    ApplyReport r = shard1.applier(ApplySettings.DEFAULT).apply(0, epoch2.subList(0, 30), 0);
    assertEquals(30, r.duplicates());
    assertEquals(0, r.applied());
    AppliedPosition p = shard1.applier(ApplySettings.DEFAULT).position(0);
    assertEquals(2, p.epoch());
    assertEquals(30, p.sequence());
    assertEquals(epoch1.get(49).change().position(), p.position());
    assertEquals(50, p.appliedCount());
  }

  @Test
  void rule3_completeThroughCountsOnlyCompleteSpannerTransactions() throws Exception {
    // Transaction 1: one change; transaction 2: five changes, split over MySQL transactions of two
    // changes.
    List<SequencedChange> s = new ArrayList<>();
    s.add(
        new SequencedChange(
            "shard1", 0, 1, 1, true, TestStreams.users(ModKind.INSERT, 1, "a", "x", 1, 0)));
    for (int m = 0; m < 5; m++) {
      s.add(
          new SequencedChange(
              "shard1",
              0,
              1,
              2 + m,
              m == 4,
              TestStreams.users(ModKind.INSERT, 10 + m, "b" + m, "x", 2, m)));
    }
    ShardApplier a = shard1.applier(ApplySettings.DEFAULT.withBatchSize(2));
    a.apply(0, s.subList(0, 4), 0);
    AppliedPosition mid = a.position(0);
    assertEquals(4, mid.sequence());
    assertEquals(
        s.get(0).change().position().commitNanos(),
        mid.completeCommitNanos(),
        "in the middle of transaction 2 the stream is complete only through transaction 1");
    a.apply(0, s, 0);
    AppliedPosition end = a.position(0);
    assertEquals(s.get(5).change().position().commitNanos(), end.completeCommitNanos());
  }

  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated writer crash");
    }
  }
}
