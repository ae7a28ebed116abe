package dev.reverserepl.launcher.cutback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.ShardConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rr block-writes} / {@code rr unblock-writes} on a real MariaDB server. */
class WriteBlockerTest {
  static SessionMapping session() throws Exception {
    return SessionMapping.parse(
        CutBackFixtures.resource("/sample/session.json"), "sample/session.json");
  }

  @Test
  void rule1_blockRecordsEveryChangeAndUnblockRestoresExactlyThat() throws Exception {
    Shard s = CutBackFixtures.shards("shard1").get(0);
    WriteBlocker blocker = new WriteBlocker(session(), new ShardConnector());
    List<String> grantsBefore = grants(s);
    assertTrue(CutBackFixtures.appCanWrite(s, 900));

    BlockResult r = blocker.block(s, BlockMethod.REVOKE, null);
    assertEquals(BlockMethod.REVOKE, r.method());
    assertEquals(1, r.grantsChanged());
    assertTrue(r.blocked(), r.detail());
    assertFalse(CutBackFixtures.appCanWrite(s, 901));
    assertTrue(blocker.isBlocked(s, null));
    assertEquals(List.of("REVOKE|APPLIED|SCHEMA|INSERT, UPDATE, DELETE"), recorded(s));

    BlockResult u = blocker.unblock(s);
    assertEquals(1, u.grantsChanged());
    assertEquals(List.of(), recorded(s));
    assertEquals(grantsBefore, grants(s));
    assertTrue(CutBackFixtures.appCanWrite(s, 902));
    assertFalse(blocker.isBlocked(s, null));
  }

  @Test
  void rule2_blockIsIdempotentAndFinishesAfterACrashHalfWay() throws Exception {
    Shard s = CutBackFixtures.shards("shard1").get(0);
    WriteBlocker blocker = new WriteBlocker(session(), new ShardConnector());
    // A crash after recording, before the REVOKE ran:
    try (Connection c = CutBackFixtures.server().connect(s.dbName())) {
      WriteBlockTable.createIfMissing(c);
      WriteBlockTable.insert(
          c,
          new WriteBlockTable.Entry(
              0,
              BlockMethod.REVOKE,
              "'" + CutBackFixtures.appUser(s.dbName()) + "'@'%'",
              "SCHEMA",
              s.dbName(),
              null,
              "INSERT, UPDATE, DELETE",
              null,
              false));
    }
    assertTrue(CutBackFixtures.appCanWrite(s, 910));
    BlockResult first = blocker.block(s, BlockMethod.AUTO, null);
    assertEquals(BlockMethod.REVOKE, first.method(), "the recorded method is kept");
    assertTrue(first.blocked());
    BlockResult again = blocker.block(s, BlockMethod.AUTO, null);
    assertEquals(0, again.grantsChanged());
    assertEquals(
        List.of("REVOKE|APPLIED|SCHEMA|INSERT, UPDATE, DELETE"), recorded(s), "recorded once");
    assertFalse(CutBackFixtures.appCanWrite(s, 911));
    blocker.unblock(s);
    assertTrue(CutBackFixtures.appCanWrite(s, 912));
  }

  @Test
  void rule3_openSessionsOfRevokedAccountsAreEnded() throws Exception {
    Shard s = CutBackFixtures.shards("shard1").get(0);
    WriteBlocker blocker = new WriteBlocker(session(), new ShardConnector());
    try (Connection open = CutBackFixtures.app(s)) {
      open.createStatement()
          .execute("INSERT INTO customers (customer_id, full_name) VALUES (1, 'before')");
      BlockResult r = blocker.block(s, BlockMethod.REVOKE, null);
      assertEquals(1, r.sessionsEnded());
      assertThrows(
          SQLException.class,
          () ->
              open.createStatement()
                  .execute("INSERT INTO customers (customer_id, full_name) VALUES (2, 'after')"));
    } finally {
      blocker.unblock(s);
    }
  }

  @Test
  void rule4_autoChoosesReadOnlyWhenOnlyTheWriterBypassesItAndUnblockRestoresItsValue()
      throws Exception {
    Shard s = CutBackFixtures.shards("shard1").get(0);
    WriteBlocker blocker = new WriteBlocker(session(), new ShardConnector());
    try (Connection open = CutBackFixtures.app(s)) {
      BlockResult r = blocker.block(s, BlockMethod.AUTO, null);
      assertEquals(BlockMethod.READ_ONLY, r.method());
      assertTrue(r.blocked(), r.detail());
      assertThrows(
          SQLException.class,
          () ->
              open.createStatement()
                  .execute("INSERT INTO customers (customer_id, full_name) VALUES (3, 'ro')"),
          "read_only holds open sessions");
      CutBackFixtures.exec(
          s.dbName(), "INSERT INTO customers (customer_id, full_name) VALUES (4, 'writer')");
    } finally {
      blocker.unblock(s);
    }
    assertEquals(0, readOnly());
    assertTrue(CutBackFixtures.appCanWrite(s, 920));
  }

  @Test
  void rule6_readOnlyIsRestoredOnlyByTheLastShardOfTheServerToBeUnblockedWhateverTheOrder()
      throws Exception {
    List<Shard> both = CutBackFixtures.shards("shard1", "shard2");
    WriteBlocker blocker = new WriteBlocker(session(), new ShardConnector());
    assertEquals(0, readOnly());
    try {
      for (Shard s : both) {
        BlockResult r = blocker.block(s, BlockMethod.READ_ONLY, null);
        assertEquals(BlockMethod.READ_ONLY, r.method());
        assertTrue(r.blocked(), r.detail());
      }
      // oldest first: the second shard still needs the server-wide switch
      blocker.unblock(both.get(0));
      assertEquals(
          1, readOnly(), "read_only stays on while another shard of the server is blocked");
      assertTrue(blocker.isBlocked(both.get(1), null));
    } finally {
      blocker.unblock(both.get(1));
      blocker.unblock(both.get(0));
    }
    assertEquals(0, readOnly(), "the last unblock restores the server's own value");
  }

  @Test
  void rule5_commitWithoutWriteBlockingIsRefused() throws Exception {
    List<Shard> shards = CutBackFixtures.shards("shard1");
    dev.reverserepl.launcher.operate.SyncStateMachine m =
        new dev.reverserepl.launcher.operate.SyncStateMachine(
            dev.reverserepl.launcher.operate.SyncState.RUNNING);
    CutBackCoordinator c =
        new CutBackCoordinator(
            shards,
            session(),
            new dev.reverserepl.launcher.operate.ShardsPauseControl(m, shards),
            new dev.reverserepl.launcher.operate.ShardsProgressSource(
                new dev.reverserepl.launcher.operate.ProgressReader(shards),
                dev.reverserepl.launcher.operate.DirectionMapping.of("p/i/d", shards),
                null),
            null,
            null,
            dev.reverserepl.reverse.ReverseSettings.defaults(),
            java.time.Clock.systemUTC());
    CutBackError e =
        assertThrows(
            CutBackError.class,
            () -> c.commit(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)));
    assertEquals("WriteBlockingNotEnabled", e.error());
    assertTrue(
        e.getMessage().contains("shard1") && e.getMessage().contains("rr block-writes"),
        e.getMessage());
    assertEquals(dev.reverserepl.launcher.operate.SyncState.RUNNING, c.state());
    assertFalse(c.canWrite());
  }

  static List<String> recorded(Shard s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = CutBackFixtures.server().connect(s.dbName())) {
      for (WriteBlockTable.Entry e : WriteBlockTable.read(c)) {
        out.add(
            e.method()
                + "|"
                + (e.applied() ? "APPLIED" : "RECORDED")
                + "|"
                + e.level()
                + "|"
                + e.privileges());
      }
    }
    return out;
  }

  static List<String> grants(Shard s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = CutBackFixtures.server().connect(null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SHOW GRANTS FOR '" + CutBackFixtures.appUser(s.dbName()) + "'@'%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static long readOnly() throws SQLException {
    try (Connection c = CutBackFixtures.server().connect(null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@global.read_only")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
