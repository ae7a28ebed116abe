package dev.reverserepl.common.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMySqlTest {

  @Test
  void rule1_sharedServerListensOnLoopbackAndIsMariaDb114() throws Exception {
    EmbeddedMySql server = EmbeddedMySql.shared();
    assertEquals("127.0.0.1", server.host());
    assertTrue(server.port() > 0);
    assertTrue(server.isRunning());
    try (Connection c = server.connect(null)) {
      String version = c.getMetaData().getDatabaseProductVersion();
      assertTrue(version.startsWith("11.4.5"), version);
      assertFalse(version.startsWith("5.5.5"), version);
      assertEquals(EmbeddedMySql.shared().port(), server.port());
    }
  }

  @Test
  void rule2_utf8mb4AndStrictModeAreDefaults() throws Exception {
    EmbeddedMySql server = EmbeddedMySql.shared();
    server.recreateDatabase("emb_charset");
    try (Connection c = server.connect("emb_charset");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (1, ?)")) {
        p.setString(1, "a\uD83D\uDE00b");
        p.executeUpdate();
      }
      try (ResultSet rs = s.executeQuery("SELECT v, @@sql_mode FROM t")) {
        rs.next();
        assertEquals("a\uD83D\uDE00b", rs.getString(1));
        assertTrue(rs.getString(2).contains("STRICT_TRANS_TABLES"), rs.getString(2));
      }
      // strict: too long is an error, not a truncation
      assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (2, '12345678901')"));
    }
  }

  @Test
  void rule6_microsecondsSurviveWithLocalDateTimeAndStringBinding() throws Exception {
    EmbeddedMySql server = EmbeddedMySql.shared();
    server.recreateDatabase("emb_micros");
    try (Connection c = server.connect("emb_micros");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, dt DATETIME(6), ts TIMESTAMP(6) NULL)");
      LocalDateTime value = LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
        p.setInt(1, 1);
        p.setObject(2, value);
        p.setString(3, "2024-02-29 23:59:58.654321");
        p.executeUpdate();
      }
      try (ResultSet rs =
          s.executeQuery("SELECT dt, ts, DATE_FORMAT(dt, '%f'), DATE_FORMAT(ts, '%f') FROM t")) {
        rs.next();
        assertEquals(value, rs.getObject(1, LocalDateTime.class));
        assertEquals(
            LocalDateTime.of(2024, 2, 29, 23, 59, 58, 654_321_000),
            rs.getObject(2, LocalDateTime.class));
        assertEquals("123456", rs.getString(3));
        assertEquals("654321", rs.getString(4));
      }
    }
  }

  @Test
  void runSqlFileCreatesTheFixtureSchema() throws Exception {
    EmbeddedMySql server = EmbeddedMySql.shared();
    server.recreateDatabase("emb_script");
    Path script = Files.createTempFile("schema", ".sql");
    Files.writeString(
        script,
        "-- comment; with semicolon\nCREATE TABLE `a;b` (id INT PRIMARY KEY, s VARCHAR(10) DEFAULT 'x;y');\n"
            + "/* block; */ INSERT INTO `a;b` (id) VALUES (1);\n");
    server.runSqlFile("emb_script", script);
    try (Connection c = server.connect("emb_script");
        ResultSet rs = c.createStatement().executeQuery("SELECT s FROM `a;b`")) {
      rs.next();
      assertEquals("x;y", rs.getString(1));
    }
    assertEquals("emb_script", server.shard("shard1", "emb_script").dbName());
    assertEquals(server.port(), server.shard("shard1", "emb_script").port());
  }

  @Test
  void rule1_stopAndRestartKeepPortAndData(@TempDir Path dir) throws Exception {
    try (EmbeddedMySql server = EmbeddedMySql.builder().withDurable(true).start()) {
      int port = server.port();
      server.createDatabase("keep");
      try (Connection c = server.connect("keep");
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        s.execute("INSERT INTO t VALUES (42)");
      }
      server.stop();
      assertFalse(server.isRunning());
      assertThrows(SQLException.class, () -> server.connect("keep").close());
      server.restart();
      assertEquals(port, server.port());
      try (Connection c = server.connect("keep");
          ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
    }
  }
}
