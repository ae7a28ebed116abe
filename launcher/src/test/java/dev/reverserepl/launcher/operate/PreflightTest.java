package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against its own MariaDB with the grant tables switched on (the shared test server skips
 * them), with the reverse writer account and a second application account that can still write.
 */
class PreflightTest {
  static final String DB = "preflight_db";
  static EmbeddedMySql server;
  static Connection admin;
  static SessionMapping session;
  static Shard writerShard;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedMySql.builder().start();
    server.createDatabase(DB);
    session = SessionMapping.load(OperateFixtures.fixture("guestbook/session.json").toString());
    admin = server.connect(DB);
    sql("CREATE TABLE Guests (id INT NOT NULL PRIMARY KEY, name VARCHAR(25), `group` VARCHAR(25))");
    sql("FLUSH PRIVILEGES"); // turns privilege checking on; this connection keeps its rights
    sql("CREATE USER 'rr_writer'@'%' IDENTIFIED BY 'writerpw'");
    sql("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `" + DB + "`.* TO 'rr_writer'@'%'");
    sql("GRANT SELECT ON mysql.* TO 'rr_writer'@'%'");
    sql("CREATE USER 'app'@'%' IDENTIFIED BY 'apppw'");
    sql("GRANT SELECT, INSERT, UPDATE ON `" + DB + "`.`Guests` TO 'app'@'%'");
    sql("CREATE USER 'ops'@'10.%' IDENTIFIED BY 'opspw'");
    sql("GRANT DELETE ON `preflight\\_db`.* TO 'ops'@'10.%'");
    sql("CREATE USER 'reporter'@'%' IDENTIFIED BY 'reporterpw'");
    sql("GRANT SELECT ON `" + DB + "`.* TO 'reporter'@'%'");
    writerShard = Shard.of("shard1", server.host(), server.port(), "rr_writer", "writerpw", DB);
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static void sql(String s) throws SQLException {
    try (Statement st = admin.createStatement()) {
      st.execute(s);
    }
  }

  static List<String> grantsOf(String account) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = admin.createStatement();
        ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  WriteBlockingReport check() {
    return new WriteBlockingCheck(session, new ShardConnector()).check(writerShard, null);
  }

  @Test
  void secondWriterIsReportedWithRevokeStatements() throws Exception {
    List<String> before = grantsOf("'app'@'%'");
    WriteBlockingReport r = check();
    List<String> after = grantsOf("'app'@'%'");
    assertEquals(before, after, "preflight must never change grants");

    assertTrue(r.reachable());
    assertFalse(r.blocked());
    assertTrue(r.writerCanWrite(), r.toString());
    List<String> others =
        r.otherWriters().stream().map(g -> g.grantee() + " " + g.level()).toList();
    assertTrue(others.contains("'app'@'%' TABLE"), others.toString());
    assertTrue(others.contains("'ops'@'10.%' SCHEMA"), others.toString());
    assertTrue(
        others.stream().noneMatch(o -> o.contains("reporter") || o.contains("rr_writer")),
        others.toString());
    assertTrue(
        r.statements().contains("REVOKE INSERT, UPDATE ON `preflight_db`.`Guests` FROM 'app'@'%';"),
        r.statements().toString());
    assertTrue(r.statements().contains("SET GLOBAL read_only = ON;"), r.statements().toString());
  }

  @Test
  void readOnlyBlocksAccountsWithoutSuper() throws Exception {
    sql("SET GLOBAL read_only = ON");
    try {
      WriteBlockingReport r = check();
      List<String> others = r.otherWriters().stream().map(WriteGrant::user).distinct().toList();
      assertTrue(r.readOnly());
      assertFalse(others.contains("app"), others.toString());
      assertFalse(others.contains("ops"), others.toString());
      // The writer has no READ ONLY ADMIN either, which the report must say.
      assertFalse(r.writerCanWrite());
      assertTrue(
          r.warnings().stream().anyMatch(w -> w.contains("read_only is ON")),
          r.warnings().toString());
    } finally {
      sql("SET GLOBAL read_only = OFF");
    }
  }

  @Test
  void commandPrintsStatementsAndExitsOneWhileOthersCanWrite(@TempDir Path dir) throws Exception {
    Path shards = OperateFixtures.writeShardsFile(dir, List.of(writerShard));
    OperateFixtures.Run run =
        OperateFixtures.run(
            "preflight",
            "--shards",
            shards.toString(),
            "--session",
            OperateFixtures.fixture("guestbook/session.json").toString(),
            "--print-statements");
    assertEquals(1, run.code(), run.out());
    assertTrue(
        run.out().contains("REVOKE INSERT, UPDATE ON `preflight_db`.`Guests` FROM 'app'@'%';"),
        run.out());
    assertTrue(run.out().contains("OPEN"), run.out());
  }
}
