package dev.reverserepl.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Date;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.Struct;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.reverse.apply.ReversePosition;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import dev.reverserepl.reverse.binlog.BinlogServer;
import dev.reverserepl.reverse.point.CommitPoint;
import dev.reverserepl.reverse.point.CutBackPhase;
import dev.reverserepl.reverse.point.CutBackTable;
import dev.reverserepl.reverse.testing.ReverseFixtures;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse reader of one shard against MariaDB with a row-format binlog and the Spanner
 * emulator.
 */
class ReverseShardRunnerTest {
  static final SessionMapping SESSION =
      SessionMapping.parse(ReverseFixtures.resource("/sample/session.json"), "sample/session.json");
  static final ReverseSettings SETTINGS =
      ReverseSettings.defaults()
          .withSerializeSpannerTransactions(true)
          .withPhasePollInterval(Duration.ofMillis(200));

  @Test
  void rule1_rowChangesReachSpannerInCommitOrderWithTheShardIdFilledAndValuesExact()
      throws Exception {
    Spanner spanner = spannerOrSkip("rule1_rowChangesReachSpanner...");
    DatabaseClient db =
        ReverseFixtures.freshSpannerDatabase(spanner, ReverseFixtures.uniqueName("rev"));
    Shard shard = ReverseFixtures.freshShard("shard1");
    commitPointNow(shard);
    ReverseFixtures.sql(
        shard,
        "INSERT INTO customers VALUES (1, 'Ann ✓', 'a@x', 12.50, '2024-05-01 10:00:00.123456')",
        "INSERT INTO customers VALUES (2, 'Bob', NULL, NULL, NULL)",
        "INSERT INTO orders VALUES (1, 10, 0.1, 'new', '{\"b\":1,\"a\":[true,null]}', X'0001ff')",
        "INSERT INTO products VALUES ('k1', 'Tea', 3.10, 1, '2024-02-29')",
        "UPDATE customers SET balance = -0.01 WHERE customer_id = 1",
        "UPDATE products SET sku = 'k2', in_stock = 0 WHERE sku = 'k1'",
        "DELETE FROM customers WHERE customer_id = 2");
    ReversePosition p = runUntilCaughtUp(shard, db, SETTINGS);
    assertEquals(7, p.appliedRows());

    Struct ann =
        db.singleUse()
            .readRow(
                "customers",
                Key.of(1L),
                List.of("full_name", "email", "balance", "created_at", "migration_shard_id"));
    assertEquals("Ann ✓", ann.getString("full_name"));
    assertEquals(new BigDecimal("-0.01"), ann.getBigDecimal("balance"));
    assertEquals(
        Timestamp.parseTimestamp("2024-05-01T10:00:00.123456Z"), ann.getTimestamp("created_at"));
    assertEquals("shard1", ann.getString("migration_shard_id"));
    assertNull(db.singleUse().readRow("customers", Key.of(2L), List.of("full_name")));
    Struct order =
        db.singleUse().readRow("orders", Key.of(1L, 10L), List.of("amount", "payload", "note"));
    assertEquals(0.1, order.getDouble("amount"));
    assertEquals(
        Json.canonical("{\"a\":[true,null],\"b\":1}"), Json.canonical(order.getJson("payload")));
    assertEquals(
        List.of((byte) 0, (byte) 1, (byte) 0xff), bytes(order.getBytes("note").toByteArray()));
    assertNull(db.singleUse().readRow("products", Key.of("k1"), List.of("title")));
    Struct k2 =
        db.singleUse().readRow("products", Key.of("k2"), List.of("price", "in_stock", "released"));
    assertEquals(0, new BigDecimal("3.1").compareTo(k2.getBigDecimal("price")));
    assertFalse(k2.getBoolean("in_stock"));
    assertEquals(Date.fromYearMonthDay(2024, 2, 29), k2.getDate("released"));
  }

  @Test
  void rule2_aKilledReaderRestartsFromItsStoredPositionAndAppliesEveryTransactionOnce()
      throws Exception {
    Spanner spanner = spannerOrSkip("rule2_aKilledReaderRestarts...");
    DatabaseClient db =
        ReverseFixtures.freshSpannerDatabase(spanner, ReverseFixtures.uniqueName("rev"));
    Shard shard = ReverseFixtures.freshShard("shard1");
    commitPointNow(shard);
    for (int i = 1; i <= 300; i++) {
      ReverseFixtures.sql(
          shard, "INSERT INTO customers (customer_id, full_name) VALUES (" + i + ", 'c" + i + "')");
    }
    ReverseShardRunner first =
        new ReverseShardRunner(shard, SESSION, db, SETTINGS.withMaxBatchTransactions(10), 0);
    Thread t = new Thread(first::run);
    t.start();
    await(() -> first.status().transactions() >= 50, "first reader applied 50 transactions");
    first.stop();
    t.join(20_000);
    long afterKill = stored(db, shard).appliedRows();
    assertTrue(afterKill > 0 && afterKill < 300, "killed mid-way: " + afterKill);

    ReversePosition done = runUntilCaughtUp(shard, db, SETTINGS);
    assertEquals(300, done.appliedRows(), "every insert applied exactly once");
    assertEquals(300, count(db, "customers"));

    // A reader that lost its position and starts again from the commit point skips everything.
    BinlogPosition commit = point(shard).binlog();
    ReverseShardRunner replay = new ReverseShardRunner(shard, SESSION, db, SETTINGS, 0);
    ReverseFixtures.sql(shard, "UPDATE rr_cutback SET phase = 'REVERSING'");
    dev.reverserepl.reverse.apply.SpannerApplier applier =
        new dev.reverserepl.reverse.apply.SpannerApplier(
            db,
            new ReversePositionTable(SETTINGS.positionTable()),
            "shard1",
            new dev.reverserepl.reverse.apply.ReverseDeadLetters(null),
            true);
    var tx =
        new dev.reverserepl.reverse.binlog.BinlogTransaction(
            List.of(), commit.withGtid(""), Instant.now());
    var r =
        applier.apply(
            List.of(
                new dev.reverserepl.reverse.apply.PreparedTransaction(
                    tx, List.of(), 1, List.of())));
    assertEquals(1, r.duplicates());
    assertEquals(300, stored(db, shard).appliedRows());
    assertEquals("STARTING", replay.status().state());
  }

  @Test
  void applyRule5_afterAFlipBackAReaderElsewhereWritesNothingMoreToSpanner() throws Exception {
    Spanner spanner = spannerOrSkip("applyRule5_afterAFlipBackAReaderElsewhere...");
    DatabaseClient db =
        ReverseFixtures.freshSpannerDatabase(spanner, ReverseFixtures.uniqueName("rev"));
    Shard shard = ReverseFixtures.freshShard("shard1");
    commitPointNow(shard);
    // A slow phase poll: the reader runs "elsewhere" and would only notice the flip late.
    ReverseShardRunner reader =
        new ReverseShardRunner(
            shard, SESSION, db, SETTINGS.withPhasePollInterval(Duration.ofSeconds(30)), 0);
    Thread t = new Thread(reader::run);
    t.start();
    for (int i = 1; i <= 20; i++) {
      ReverseFixtures.sql(
          shard, "INSERT INTO customers (customer_id, full_name) VALUES (" + i + ", 'c" + i + "')");
    }
    ReversePositionTable table = new ReversePositionTable(SETTINGS.positionTable());
    Instant start = ReverseSync.flipBack(List.of(shard), db, table, Duration.ofSeconds(60));
    ReversePosition atFlip = stored(db, shard);
    assertEquals(20, atFlip.appliedRows());

    // The forward writer applies Spanner's changes to MySQL right after the flip.
    ReverseFixtures.sql(
        shard, "INSERT INTO customers (customer_id, full_name) VALUES (99, 'from Spanner')");
    await(() -> reader.status().state().equals("STOPPED"), "the reader stopped");
    t.join(20_000);
    assertTrue(reader.status().error().isEmpty(), () -> reader.status().error().get());
    assertEquals(atFlip, stored(db, shard), "no position written after the flip");
    assertNull(db.singleUse().readRow("customers", Key.of(99L), List.of("full_name")));
    assertEquals(20, count(db, "customers"));
    assertFalse(
        atFlip.spannerCommitTimestamp().orElseThrow().toSqlTimestamp().toInstant().isAfter(start),
        "the change stream start covers every commit of the reverse");
    assertEquals(CutBackPhase.FORWARD, point(shard).phase());
  }

  @Test
  void rule3_aTransactionSpannerRejectsIsDeadLetteredWholeAndTheShardGoesOn(@TempDir Path dlq)
      throws Exception {
    Spanner spanner = spannerOrSkip("rule3_aTransactionSpannerRejects...");
    DatabaseClient db =
        ReverseFixtures.freshSpannerDatabase(spanner, ReverseFixtures.uniqueName("rev"));
    Shard shard = ReverseFixtures.freshShard("shard1");
    commitPointNow(shard);
    ReverseFixtures.sql(
        shard,
        "SET foreign_key_checks = 0",
        // an order whose customer does not exist: Spanner's interleaving rejects it
        "INSERT INTO orders VALUES (99, 1, 1.0, 'orphan', NULL, NULL)",
        "INSERT INTO customers (customer_id, full_name) VALUES (5, 'after')");
    ReversePosition p =
        runUntilCaughtUp(shard, db, SETTINGS.withDeadLetterDirectory(dlq.toString()));
    assertEquals(1, p.deadLettered());
    assertEquals(1, p.appliedRows());
    assertEquals(1, count(db, "customers"));
    String lines = Files.readString(dlq.resolve("reverse-shard1.jsonl"));
    assertTrue(lines.contains("\"table\":\"orders\"") && lines.contains("Spanner rejected"), lines);
  }

  @Test
  void rule4_reverseBeforeCommitIsRefused() {
    Spanner spanner = spannerOrSkip("rule4_reverseBeforeCommitIsRefused");
    DatabaseClient db =
        ReverseFixtures.freshSpannerDatabase(spanner, ReverseFixtures.uniqueName("rev"));
    Shard shard = ReverseFixtures.freshShard("shard1");
    ReverseException e =
        assertThrows(
            ReverseException.class,
            () -> new ReverseShardRunner(shard, SESSION, db, SETTINGS, 0).run());
    assertTrue(
        e.getMessage().contains("requires state COMMITTED") && e.getMessage().contains("shard1"),
        e.getMessage());
  }

  @Test
  void rule5_aBinlogNotInRowFormatIsRefused() throws Exception {
    Shard shard = ReverseFixtures.freshShard("shard1");
    try (Connection c = ReverseFixtures.binlogServer().connect(shard.dbName())) {
      BinlogPosition now = BinlogServer.currentPosition(c, shard);
      c.createStatement().execute("SET GLOBAL binlog_format = 'STATEMENT'");
      try {
        ReverseException e =
            assertThrows(
                ReverseException.class, () -> BinlogServer.requireReadableFrom(c, shard, now));
        assertTrue(
            e.getMessage().contains("binlog_format is STATEMENT")
                && e.getMessage().contains("127.0.0.1:"),
            e.getMessage());
      } finally {
        c.createStatement().execute("SET GLOBAL binlog_format = 'ROW'");
      }
    }
  }

  @Test
  void rule6_aBinlogPurgedPastTheCommitPointIsRefused() throws Exception {
    Shard shard = ReverseFixtures.freshShard("shard1");
    try (Connection c = ReverseFixtures.binlogServer().connect(shard.dbName())) {
      BinlogPosition old = BinlogServer.currentPosition(c, shard);
      BinlogPosition now = old;
      // MariaDB keeps a binlog until its InnoDB checkpoint has passed it: rotate until the purge
      // takes it.
      for (int i = 0; i < 50 && binlogFiles(c).contains(old.file()); i++) {
        c.createStatement().execute("FLUSH BINARY LOGS");
        now = BinlogServer.currentPosition(c, shard);
        c.createStatement().execute("PURGE BINARY LOGS TO '" + now.file() + "'");
        Thread.sleep(100);
      }
      assertFalse(binlogFiles(c).contains(old.file()), "the server purged " + old.file());
      ReverseException e =
          assertThrows(
              ReverseException.class, () -> BinlogServer.requireReadableFrom(c, shard, old));
      assertTrue(
          e.getMessage()
              .contains(old.file() + " (position " + old.position() + ") has been purged"),
          e.getMessage());
    }
  }

  // ---- helpers

  static List<String> binlogFiles(Connection c) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static Spanner spannerOrSkip(String test) {
    Optional<Spanner> s = ReverseFixtures.spannerOrSkip("ReverseShardRunnerTest." + test);
    Assumptions.assumeTrue(s.isPresent(), "no emulator");
    return s.get();
  }

  static void commitPointNow(Shard shard) throws Exception {
    try (Connection c = ReverseFixtures.binlogServer().connect(shard.dbName())) {
      CutBackTable.createIfMissing(c);
      BinlogPosition pos = BinlogServer.currentPosition(c, shard);
      CutBackTable.write(
          c,
          new CommitPoint(
              shard.logicalShardId(),
              CutBackPhase.COMMITTED,
              Instant.now(),
              pos,
              Instant.now(),
              Optional.empty()));
    }
  }

  static CommitPoint point(Shard shard) throws Exception {
    try (Connection c = ReverseFixtures.binlogServer().connect(shard.dbName())) {
      return CutBackTable.read(c, shard.logicalShardId()).orElseThrow();
    }
  }

  /**
   * Runs a reader until Spanner's stored position reaches the shard's current binlog end, then
   * stops it.
   */
  static ReversePosition runUntilCaughtUp(Shard shard, DatabaseClient db, ReverseSettings settings)
      throws Exception {
    BinlogPosition end;
    try (Connection c = ReverseFixtures.binlogServer().connect(shard.dbName())) {
      end = BinlogServer.currentPosition(c, shard);
    }
    ReverseShardRunner runner = new ReverseShardRunner(shard, SESSION, db, settings, 0);
    Thread t = new Thread(runner::run);
    t.start();
    BinlogPosition target = end;
    await(
        () ->
            runner.status().error().isPresent()
                || runner.status().applied().map(a -> !target.isAfter(a)).orElse(false),
        "caught up to " + end);
    runner.stop();
    t.join(20_000);
    assertTrue(runner.status().error().isEmpty(), () -> runner.status().error().get());
    return stored(db, shard);
  }

  static ReversePosition stored(DatabaseClient db, Shard shard) {
    return new ReversePositionTable(SETTINGS.positionTable())
        .read(db.singleUse(), shard.logicalShardId())
        .orElseThrow();
  }

  static long count(DatabaseClient db, String table) {
    long n = 0;
    try (ResultSet rs = db.singleUse().read(table, KeySet.all(), List.of(firstKey(table)))) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private static String firstKey(String table) {
    return switch (table) {
      case "customers", "orders" -> "customer_id";
      default -> "sku";
    };
  }

  static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  static List<Byte> bytes(byte[] b) {
    java.util.List<Byte> out = new java.util.ArrayList<>();
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }

  static final class Json {
    static String canonical(String s) throws Exception {
      com.fasterxml.jackson.databind.ObjectMapper m =
          new com.fasterxml.jackson.databind.ObjectMapper();
      m.configure(
          com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
      return m.writeValueAsString(m.treeToValue(m.readTree(s), Object.class));
    }
  }
}
