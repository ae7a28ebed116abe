package dev.reverserepl.writer.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.BlockedStatus;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ShardStatusTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.retry.RetryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply safety against a real MariaDB: unique values moving between rows (rule 8), shard faults
 * that halt a shard instead of dead-lettering (rule 4), generated columns (rule 11). {@code
 * Guests.name} carries a unique index.
 */
class ApplySafetyTest {
  private static final RetryConfig SHORT_CONFLICT_BUDGET =
      new RetryConfig(
          50, Duration.ofMillis(20), Duration.ofMillis(200), 0.2, Duration.ofSeconds(2));
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;
  private ApplierFixture fixture;
  private SessionMapping session;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  @BeforeEach
  void database() throws Exception {
    TestStreams.createShardDatabase(mysql, "wr_safety");
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE Guests ADD UNIQUE KEY uq_name (name)");
      s.execute(
          "CREATE TABLE TableWithVirtualGeneratedColumn (id INT NOT NULL, column1 INT,"
              + " virtual_generated_column INT AS (column1 + id) VIRTUAL, PRIMARY KEY(id))");
      s.execute(
          "CREATE TABLE TableWithStoredGeneratedColumn (id INT NOT NULL, column1 INT,"
              + " stored_generated_column INT AS (column1 + id) STORED, PRIMARY KEY(id))");
    }
    session = uniqueNameSession();
    fixture =
        new ApplierFixture(
            mysql.shard("shard1", "wr_safety"), session, tmp.resolve("dlq").toString());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  /**
   * The fixture's session with a unique index on {@code Guests.name}, as the migration tool records
   * one.
   */
  static SessionMapping uniqueNameSession() throws Exception {
    ObjectNode root =
        (ObjectNode) Json.parse(Files.readString(TestStreams.fixtureDir().resolve("session.json")));
    ObjectNode index =
        ((ObjectNode) root.path("SrcSchema").path("t1")).putArray("Indexes").addObject();
    index.put("Name", "uq_name");
    index.put("Unique", true);
    addIntTable(root, "t91", "TableWithVirtualGeneratedColumn", "virtual_generated_column");
    addIntTable(root, "t92", "TableWithStoredGeneratedColumn", "stored_generated_column");
    return SessionMapping.parse(root.toString(), "session.json + unique Guests.name");
  }

  /**
   * Adds {@code name(id, column1, generated)} of INT64 / int columns to both schemas of the
   * session.
   */
  private static void addIntTable(ObjectNode root, String id, String name, String generated) {
    ObjectNode sp = ((ObjectNode) root.path("SpSchema")).putObject(id);
    ObjectNode src = ((ObjectNode) root.path("SrcSchema")).putObject(id);
    sp.put("Name", name)
        .put("Id", id)
        .put("ShardIdColumn", "")
        .put("ParentId", "")
        .put("Comment", "");
    src.put("Name", name).put("Id", id).put("Schema", "src_db");
    var spCols = sp.putObject("ColDefs");
    var srcCols = src.putObject("ColDefs");
    var spIds = sp.putArray("ColIds");
    var srcIds = src.putArray("ColIds");
    List<String> cols = List.of("id", "column1", generated);
    for (int i = 0; i < cols.size(); i++) {
      String cid = id + "c" + i;
      spIds.add(cid);
      srcIds.add(cid);
      ObjectNode spc =
          spCols.putObject(cid).put("Name", cols.get(i)).put("Id", cid).put("NotNull", i == 0);
      spc.putObject("T").put("Name", "INT64").put("Len", 0).put("IsArray", false);
      ObjectNode srcc =
          srcCols.putObject(cid).put("Name", cols.get(i)).put("Id", cid).put("NotNull", i == 0);
      srcc.putObject("Type").put("Name", "int").putArray("Mods").add(11);
    }
    sp.putArray("PrimaryKeys")
        .addObject()
        .put("ColId", id + "c0")
        .put("Desc", false)
        .put("Order", 1);
    src.putArray("PrimaryKeys")
        .addObject()
        .put("ColId", id + "c0")
        .put("Desc", false)
        .put("Order", 1);
  }

  private Map<String, String> rows() throws Exception {
    try (Connection c = mysql.connect("wr_safety")) {
      return TestStreams.actualRows(c);
    }
  }

  private List<DeadLetter> deadLetters() {
    Path dir = tmp.resolve("dlq");
    return Files.isDirectory(dir) ? DeadLetterQueue.readAll(dir.toString()) : List.of();
  }

  @Test
  void rule8_uniqueValuesMovingBetweenRowsEndWithExactlyTheImpliedRows_onePartition()
      throws Exception {
    replayUniqueWorkload(1);
  }

  @Test
  void rule8_uniqueValuesMovingBetweenRowsEndWithExactlyTheImpliedRows_fourPartitions()
      throws Exception {
    replayUniqueWorkload(4);
  }

  private void replayUniqueWorkload(int partitionsPerShard) throws Exception {
    List<Change> changes = UniqueWorkload.generate(new Random(7 + partitionsPerShard), 600);
    // The ordering pipeline's routing (SplitRoutedFnTest): unique-index tables take partition 0,
    // others hash.
    java.util.function.ToIntBiFunction<String, String> routing =
        (table, keys) ->
            session.table(table).map(t -> t.hasUniqueSecondaryIndex()).orElse(false)
                ? 0
                : Math.floorMod((table + "\u0000" + keys).hashCode(), partitionsPerShard);
    Map<Integer, List<SequencedChange>> streams = UniqueWorkload.streams(changes, routing);
    assertTrue(
        streams.keySet().stream()
            .allMatch(
                p ->
                    p == 0
                        || streams.get(p).stream()
                            .noneMatch(c -> c.change().table().equals("Guests"))),
        "every Guests change takes partition 0");
    ShardApplier a =
        fixture.applier(
            ApplySettings.DEFAULT.withBatchSize(40).withMaxRowsPerStatement(7),
            SHORT_CONFLICT_BUDGET);
    // The other partitions first: streams of different partitions are not ordered against each
    // other.
    for (int p = partitionsPerShard - 1; p >= 0; p--) {
      if (streams.containsKey(p)) {
        a.apply(p, streams.get(p), 0);
      }
    }
    List<SequencedChange> all = new ArrayList<>();
    for (Change c : changes) {
      all.add(new SequencedChange("shard1", 0, 1, all.size() + 1, true, c));
    }
    assertEquals(List.of(), deadLetters().stream().map(DeadLetter::error).toList());
    assertEquals(TestStreams.expectedRows(all), rows());
  }

  @Test
  void rule8_aSwapInsideOneSpannerTransactionIsApplied() throws Exception {
    List<SequencedChange> s =
        List.of(
            new SequencedChange(
                "shard1", 0, 1, 1, false, TestStreams.users(ModKind.INSERT, 1, "alice", "a", 1, 0)),
            new SequencedChange(
                "shard1", 0, 1, 2, true, TestStreams.users(ModKind.INSERT, 2, "bob", "b", 1, 1)),
            new SequencedChange(
                "shard1", 0, 1, 3, false, TestStreams.users(ModKind.UPDATE, 1, "bob", "a2", 2, 0)),
            new SequencedChange(
                "shard1",
                0,
                1,
                4,
                true,
                TestStreams.users(ModKind.UPDATE, 2, "alice", "b2", 2, 1)));
    ApplyReport r = fixture.applier(ApplySettings.DEFAULT, SHORT_CONFLICT_BUDGET).apply(0, s, 0);
    assertEquals(List.of(), deadLetters().stream().map(DeadLetter::error).toList());
    assertEquals(4, r.applied());
    assertEquals(Map.of("Guests/1", "bob|a2", "Guests/2", "alice|b2"), rows());
  }

  @Test
  void rule8_theGuardedUpsertUpdatesItsOwnRowAndRefusesAnother() throws Exception {
    var dialect = dev.reverserepl.common.sql.MySqlDialect.portable();
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO Guests (id, name, `group`) VALUES (1, 'alice', 'a'), (2, 'bob', 'b')");
      var own =
          dialect.guardedUpsert(
              "Guests",
              List.of("id", "name", "group"),
              List.of("id"),
              List.of(List.of(1, "alice2", "a2"), List.of(3, "carol", "c")));
      try (var ps = c.prepareStatement(own.sql())) {
        own.bind(ps);
        ps.executeUpdate();
      }
      var other =
          dialect.guardedUpsert(
              "Guests",
              List.of("id", "name", "group"),
              List.of("id"),
              List.of(List.of(4, "bob", "x")));
      java.sql.SQLException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.sql.SQLException.class,
              () -> {
                try (var ps = c.prepareStatement(other.sql())) {
                  other.bind(ps);
                  ps.executeUpdate();
                }
              });
      assertEquals(1242, e.getErrorCode(), e.getMessage());
    }
    assertEquals(
        Map.of("Guests/1", "alice2|a2", "Guests/2", "bob|b", "Guests/3", "carol|c"), rows());
  }

  /** Row 2 holds the unique name 'alice' before the stream starts. */
  private void preExistingAlice() throws Exception {
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO Guests (id, name, `group`) VALUES (2, 'alice', 'pre-existing')");
    }
  }

  @Test
  void rule8_aUniqueValueHeldByAnotherRowIsAnErrorNotAnOverwrite() throws Exception {
    preExistingAlice();
    List<SequencedChange> stream =
        List.of(
            new SequencedChange(
                "shard1", 0, 1, 1, true, TestStreams.users(ModKind.INSERT, 1, "alice", "x", 1, 0)),
            new SequencedChange(
                "shard1", 0, 1, 2, true, TestStreams.users(ModKind.INSERT, 3, "carol", "y", 2, 0)));
    ApplyReport r =
        fixture.applier(ApplySettings.DEFAULT, SHORT_CONFLICT_BUDGET).apply(0, stream, 0);
    assertEquals(1, r.deadLettered());
    assertEquals(Map.of("Guests/2", "alice|pre-existing", "Guests/3", "carol|y"), rows());
    List<DeadLetter> dead = deadLetters();
    assertEquals(1, dead.size());
    String error = dead.get(0).error();
    assertTrue(
        error.contains("unique conflict")
            && error.contains("[id]=[1]")
            && error.contains("=[2]")
            && error.contains("uq_name"),
        error);
    assertEquals(2, fixture.applier(ApplySettings.DEFAULT).position(0).sequence());
  }

  @Test
  void rule8_aConflictIsDescribedWhileTheApplyRunsOnThePoolsOnlyConnection() throws Exception {
    preExistingAlice();
    List<SequencedChange> stream =
        List.of(
            new SequencedChange(
                "shard1", 0, 1, 1, true, TestStreams.users(ModKind.INSERT, 3, "carol", "y", 1, 0)),
            new SequencedChange(
                "shard1", 0, 1, 2, true, TestStreams.users(ModKind.INSERT, 1, "alice", "x", 2, 0)),
            new SequencedChange(
                "shard1", 0, 1, 3, true, TestStreams.users(ModKind.INSERT, 4, "dave", "z", 3, 0)));
    try (var pool = ShardPools.createPool(fixture.shard, 1, PasswordResolver.FROM_FILE)) {
      ApplyReport r =
          fixture.applier(ApplySettings.DEFAULT, SHORT_CONFLICT_BUDGET, pool).apply(0, stream, 0);
      assertEquals(1, r.deadLettered());
      assertEquals(2, r.applied());
    }
    assertTrue(deadLetters().get(0).error().contains("uq_name"), deadLetters().get(0).error());
    assertEquals(
        Map.of("Guests/2", "alice|pre-existing", "Guests/3", "carol|y", "Guests/4", "dave|z"),
        rows());
  }

  @Test
  void rule8_aConflictFreedWithinTheRetryBudgetAppliesWithoutADeadLetter() throws Exception {
    preExistingAlice();
    List<SequencedChange> stream =
        List.of(
            new SequencedChange(
                "shard1", 0, 1, 1, true, TestStreams.users(ModKind.INSERT, 1, "alice", "x", 1, 0)));
    RetryConfig budget = SHORT_CONFLICT_BUDGET.withMaxTotalDuration(Duration.ofSeconds(60));
    CompletableFuture<ApplyReport> run =
        CompletableFuture.supplyAsync(
            () -> fixture.applier(ApplySettings.DEFAULT, budget).apply(0, stream, 0));
    Thread.sleep(1000);
    assertTrue(!run.isDone(), "the conflicting change waits while the value is held");
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM Guests WHERE id = 2");
    }
    ApplyReport r = run.get(60, TimeUnit.SECONDS);
    assertEquals(1, r.applied());
    assertEquals(Map.of("Guests/1", "alice|x"), rows());
    assertEquals(List.of(), deadLetters());
  }

  @Test
  void rule4_aTableThatRefusesWritesHaltsTheShardAndResumesWithNothingDeadLettered()
      throws Exception {
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TRIGGER users_full BEFORE INSERT ON Guests FOR EACH ROW"
              + " SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1114, MESSAGE_TEXT = 'The table Guests is full'");
    }
    // Every Guests change of a random stream has a name of its own, so the unique index never
    // conflicts here.
    List<SequencedChange> s = TestStreams.randomStream("shard1", 0, 1, 300, 40, 41);
    List<BlockedStatus> heard = new CopyOnWriteArrayList<>();
    ShardApplier a =
        fixture
            .applier(ApplySettings.DEFAULT.withBatchSize(50))
            .withHealthListener(
                new ShardHealthListener() {
                  @Override
                  public void blocked(BlockedStatus status) {
                    heard.add(status);
                  }
                });
    CompletableFuture<ApplyReport> run = CompletableFuture.supplyAsync(() -> a.apply(0, s, 0));
    BlockedStatus recorded = awaitBlocked();
    assertEquals(1114, recorded.errorCode());
    assertEquals("table full", recorded.reason());
    assertTrue(!run.isDone() && !heard.isEmpty(), "the shard waits while the table refuses writes");
    try (Connection c = mysql.connect("wr_safety");
        Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER users_full");
    }
    ApplyReport r = run.get(120, TimeUnit.SECONDS);
    assertEquals(0, r.deadLettered());
    assertEquals(TestStreams.expectedRows(s), rows());
    assertEquals(List.of(), deadLetters());
    try (Connection c = mysql.connect("wr_safety")) {
      assertEquals(
          List.of(),
          new ShardStatusTable(new ProgressTable(ProgressTable.DEFAULT_NAME)).read(c, "shard1"));
    }
  }

  @Test
  void rule11_generatedColumnsAreNeverWrittenAndReportedOnce() throws Exception {
    List<SequencedChange> stream = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      for (String table :
          List.of("TableWithVirtualGeneratedColumn", "TableWithStoredGeneratedColumn")) {
        String generated =
            table.contains("Virtual") ? "virtual_generated_column" : "stored_generated_column";
        Change c =
            new Change(
                table,
                ModKind.INSERT,
                "{\"id\":\"" + i + "\"}",
                "{\"column1\":\"" + (i * 10) + "\",\"" + generated + "\":\"999\"}",
                new ChangePosition(TestStreams.BASE_NANOS + i * 1000L, "g" + i, 0, table.length()),
                "",
                2);
        stream.add(
            new SequencedChange("shard1", 0, 1, stream.size() + 1, table.contains("Stored"), c));
      }
    }
    ShardApplier a = fixture.applier(ApplySettings.DEFAULT);
    ApplyReport r = a.apply(0, stream, 0);
    assertEquals(40, r.applied());
    assertEquals(0, r.deadLettered());
    try (Connection c = mysql.connect("wr_safety");
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT v.id, v.virtual_generated_column, s.stored_generated_column FROM"
                    + " TableWithVirtualGeneratedColumn v JOIN TableWithStoredGeneratedColumn s ON s.id = v.id ORDER BY v.id")) {
      int n = 0;
      while (rs.next()) {
        n++;
        assertEquals(rs.getInt(1) * 11, rs.getInt(2));
        assertEquals(rs.getInt(1) * 11, rs.getInt(3));
      }
      assertEquals(20, n);
    }
    List<String> mismatches = a.schemaMismatches();
    assertTrue(
        mismatches.stream()
            .anyMatch(
                m ->
                    m.startsWith("table TableWithVirtualGeneratedColumn:")
                        && m.contains("virtual_generated_column")
                        && m.contains("generated")),
        mismatches.toString());
    assertEquals(
        1,
        mismatches.stream()
            .filter(m -> m.startsWith("table TableWithStoredGeneratedColumn:"))
            .count());
  }

  private BlockedStatus awaitBlocked() throws Exception {
    ShardStatusTable table = new ShardStatusTable(new ProgressTable(ProgressTable.DEFAULT_NAME));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Connection c = mysql.connect("wr_safety")) {
        List<BlockedStatus> b = table.read(c, "shard1");
        if (!b.isEmpty()) {
          return b.get(0);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the shard never reported itself blocked");
  }

  /** A Spanner-consistent workload over {@code Guests(id, name UNIQUE)} plus the identity table. */
  static final class UniqueWorkload {
    private UniqueWorkload() {}

    static List<Change> generate(Random r, int transactions) {
      Map<Integer, String> users = new TreeMap<>();
      List<Change> out = new ArrayList<>();
      for (long tx = 1; tx <= transactions; tx++) {
        int roll = r.nextInt(100);
        List<Integer> ids = new ArrayList<>(users.keySet());
        if (roll < 20 && ids.size() >= 2) {
          // Swap two rows' names inside one Spanner transaction.
          int a = ids.get(r.nextInt(ids.size()));
          int b = ids.get(r.nextInt(ids.size()));
          if (a != b) {
            String na = users.get(a);
            String nb = users.get(b);
            users.put(a, nb);
            users.put(b, na);
            out.add(TestStreams.users(ModKind.UPDATE, a, nb, "swap" + tx, tx, 0));
            out.add(TestStreams.users(ModKind.UPDATE, b, na, "swap" + tx, tx, 1));
            continue;
          }
        }
        if (roll < 45 && !ids.isEmpty()) {
          int id = ids.get(r.nextInt(ids.size()));
          String name = freeName(r, users);
          users.put(id, name);
          out.add(TestStreams.users(ModKind.UPDATE, id, name, "upd" + tx, tx, 0));
        } else if (roll < 60 && !ids.isEmpty()) {
          int id = ids.get(r.nextInt(ids.size()));
          users.remove(id);
          out.add(TestStreams.users(ModKind.DELETE, id, null, null, tx, 0));
        } else if (roll < 85) {
          int id = 1 + r.nextInt(40);
          if (users.containsKey(id)) {
            continue;
          }
          String name = freeName(r, users);
          users.put(id, name);
          out.add(TestStreams.users(ModKind.INSERT, id, name, "ins" + tx, tx, 0));
        } else {
          int id = 1 + r.nextInt(30);
          out.add(TestStreams.identity(ModKind.UPDATE, id, "c" + tx, tx, 0));
        }
      }
      return out;
    }

    // Names come from a small pool, so freed values are soon reused by other rows.
    private static String freeName(Random r, Map<Integer, String> users) {
      while (true) {
        String n = "name" + r.nextInt(50);
        if (!users.containsValue(n)) {
          return n;
        }
      }
    }

    static Map<Integer, List<SequencedChange>> streams(
        List<Change> changes, java.util.function.ToIntBiFunction<String, String> routing) {
      Map<Integer, List<SequencedChange>> out = new HashMap<>();
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        int p = routing.applyAsInt(c.table(), c.keysJson());
        boolean eot =
            i == changes.size() - 1
                || !changes
                    .get(i + 1)
                    .position()
                    .serverTransactionId()
                    .equals(c.position().serverTransactionId());
        List<SequencedChange> s = out.computeIfAbsent(p, k -> new ArrayList<>());
        s.add(new SequencedChange("shard1", p, 1, s.size() + 1, eot, c));
      }
      return out;
    }
  }
}
