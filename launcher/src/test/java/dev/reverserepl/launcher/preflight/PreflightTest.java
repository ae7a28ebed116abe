package dev.reverserepl.launcher.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight rules P1..P5 against a real (embedded MariaDB) server. The server is this class's own:
 * the embedded server starts without grant tables, and checking grants needs them switched on,
 * which the shared server must not see. Checks then log in as {@code pf_admin} (all privileges) or
 * {@code pf_reader} (SELECT, INSERT only).
 */
class PreflightTest {
  private static final Path FIXTURE = Fixtures.repo("clock");
  private static EmbeddedMySql mysql;
  private static SessionMapping session;

  @BeforeAll
  static void start() throws SQLException {
    mysql = EmbeddedMySql.start();
    session = SessionMapping.load(FIXTURE.resolve("session.json").toString());
    for (String db : List.of("pf_ready", "pf_limited")) {
      mysql.recreateDatabase(db);
      mysql.runSqlFile(db, FIXTURE.resolve("mysql-schema.sql"));
    }
    mysql.recreateDatabase("pf_empty");
    try (Connection c = mysql.connect(null);
        Statement s = c.createStatement()) {
      // switches privilege checking on; this already-open connection keeps working for the set-up
      // below
      s.execute("FLUSH PRIVILEGES");
      s.execute("CREATE USER 'pf_admin'@'%' IDENTIFIED BY 'pw'");
      s.execute("GRANT ALL PRIVILEGES ON *.* TO 'pf_admin'@'%'");
      s.execute("CREATE USER 'pf_reader'@'%' IDENTIFIED BY 'pw'");
      s.execute("GRANT SELECT, INSERT ON pf_limited.* TO 'pf_reader'@'%'");
    }
  }

  @AfterAll
  static void stop() {
    if (mysql != null) {
      mysql.close();
    }
  }

  private static Shard shard(String id, String db) {
    return shard(id, db, "pf_admin");
  }

  private static Shard shard(String id, String db, String user) {
    return new Shard(id, mysql.host(), mysql.port(), user, "pw", null, db, Map.of());
  }

  private static Connection admin(String db) throws SQLException {
    return DriverManager.getConnection(
        shard("admin", db == null ? "" : db).jdbcUrl(), "pf_admin", "pw");
  }

  private static List<String> problems(Shard shard) {
    List<String> found = ShardCheck.problems(shard, session);
    System.out.println(
        shard.logicalShardId() + ": " + (found.isEmpty() ? "ready" : String.join(" | ", found)));
    return found;
  }

  @Test
  void ruleP1_invalidShardsFileIsRejectedBeforeAnythingElse(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("shards.json");
    Files.writeString(
        file,
        "[{\"logicalShardId\": \"goog-shard\", \"host\": \"h\", \"user\": \"u\", "
            + "\"password\": \"p\", \"port\": \"3306\", \"dbName\": \"d\"}]");
    ConfigException e =
        assertThrows(ConfigException.class, () -> Preflight.loadShards(file.toString(), l -> {}));
    System.out.println("P1: " + e.getMessage());
    assertTrue(
        e.getMessage().startsWith(file + ": shard[0] 'goog-shard': field 'logicalShardId'"),
        e.getMessage());
  }

  @Test
  void ruleP2_sessionFileIsLoadedAndItsTablesReported() {
    List<String> lines = new ArrayList<>();
    Preflight.loadSession(FIXTURE.resolve("session.json").toString(), lines::add);
    assertEquals(
        List.of("session file " + FIXTURE.resolve("session.json") + ": 1 table(s) Meetings"),
        lines);
  }

  @Test
  void ruleP3_readOnlyServerIsAnError() throws SQLException {
    assertEquals(List.of(), problems(shard("ready", "pf_ready")));
    try (Connection c = admin(null);
        Statement s = c.createStatement()) {
      s.execute("SET GLOBAL read_only = 1");
      try {
        List<String> found = problems(shard("readonly", "pf_ready"));
        assertEquals(1, found.size());
        assertTrue(
            found
                .get(0)
                .endsWith(
                    ": server is read-only (@@read_only = 1); the writer cannot apply changes"),
            found.get(0));
      } finally {
        s.execute("SET GLOBAL read_only = 0");
      }
    }
  }

  @Test
  void ruleP3_unreachableShardIsAnError() {
    Shard down = Shard.of("down", "127.0.0.1", 1, "pf_admin", "pw", "pf_ready");
    List<String> found = problems(down);
    assertEquals(1, found.size());
    assertTrue(
        found
            .get(0)
            .startsWith("shard 'down' (127.0.0.1:1/pf_ready, user pf_admin): cannot connect: "),
        found.get(0));
  }

  @Test
  void ruleP4_missingSessionTableIsNamed() {
    List<String> found = problems(shard("empty", "pf_empty"));
    assertEquals(
        List.of(
            "shard 'empty' (127.0.0.1:"
                + mysql.port()
                + "/pf_empty, user pf_admin): session table(s) "
                + "missing in the database: meeting"),
        found);
  }

  @Test
  void ruleP5_userWithoutWriteGrantsIsNamedAndNoRowChanges() throws SQLException {
    try (Connection c = admin("pf_limited");
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM meeting");
      s.execute("INSERT INTO meeting (meeting_id) VALUES (1), (2)");
    }
    Shard limited = shard("limited", "pf_limited", "pf_reader");
    List<String> found = problems(limited);
    assertEquals(
        List.of(
            "shard 'limited' (127.0.0.1:"
                + mysql.port()
                + "/pf_limited, user pf_reader): user may "
                + "not UPDATE, DELETE on table meeting (grant INSERT, UPDATE, DELETE)"),
        found);
    try (Connection c = admin("pf_limited");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM meeting")) {
      rs.next();
      assertEquals(2, rs.getInt(1), "the probe changed rows");
    }
  }

  @Test
  void checkShardsListsEveryProblemOfEveryShard() {
    List<String> report = new ArrayList<>();
    PreflightException e =
        assertThrows(
            PreflightException.class,
            () ->
                Preflight.checkShards(
                    List.of(
                        shard("ready", "pf_ready"),
                        shard("empty", "pf_empty"),
                        Shard.of("down", "127.0.0.1", 1, "pf_admin", "pw", "pf_ready")),
                    session,
                    report::add));
    System.out.println(e.getMessage());
    assertEquals(
        List.of("shard 'ready': writable, 1 session table(s) present and writable"), report);
    assertTrue(
        e.getMessage().contains("shard 'empty'") && e.getMessage().contains("shard 'down'"),
        e.getMessage());
  }
}
