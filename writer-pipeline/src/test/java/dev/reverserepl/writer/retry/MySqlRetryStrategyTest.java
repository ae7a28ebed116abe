package dev.reverserepl.writer.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule 4 of the module README: the whole SQLSTATE / error-code table, row by row. */
class MySqlRetryStrategyTest {
  private final MySqlRetryStrategy strategy = new MySqlRetryStrategy();

  private record Row(int code, String state, FailureKind expected, String what) {}

  private static final List<Row> TABLE =
      List.of(
          // The shard's fault: disk, memory, locks, grants, schema, packet size, read-only.
          new Row(1021, "HY000", FailureKind.SHARD, "disk full"),
          new Row(1114, "HY000", FailureKind.SHARD, "table full"),
          new Row(1030, "HY000", FailureKind.SHARD, "storage engine error"),
          new Row(1037, "HY001", FailureKind.SHARD, "out of memory"),
          new Row(1041, "HY000", FailureKind.SHARD, "out of memory"),
          new Row(1206, "HY000", FailureKind.SHARD, "lock table full"),
          new Row(1036, "HY000", FailureKind.SHARD, "table read-only"),
          new Row(1290, "HY000", FailureKind.SHARD, "server read-only"),
          new Row(1792, "25006", FailureKind.SHARD, "read-only transaction"),
          new Row(1836, "HY000", FailureKind.SHARD, "server read-only"),
          new Row(1044, "42000", FailureKind.SHARD, "database access denied"),
          new Row(1045, "28000", FailureKind.SHARD, "login denied"),
          new Row(1142, "42000", FailureKind.SHARD, "command denied"),
          new Row(1143, "42000", FailureKind.SHARD, "column access denied"),
          new Row(1227, "42000", FailureKind.SHARD, "privilege missing"),
          new Row(1370, "42000", FailureKind.SHARD, "routine denied"),
          new Row(1146, "42S02", FailureKind.SHARD, "table missing"),
          new Row(1153, "08S01", FailureKind.SHARD, "packet too big"),
          new Row(1099, "HY000", FailureKind.SHARD, "table locked"),
          new Row(1223, "HY000", FailureKind.SHARD, "conflicting read lock"),
          new Row(1180, "HY000", FailureKind.SHARD, "commit failed"),
          new Row(1181, "HY000", FailureKind.SHARD, "rollback failed"),
          new Row(1637, "HY000", FailureKind.SHARD, "too many active transactions"),
          // The shard's fault, already retried before: connections, locks, interruptions.
          new Row(1040, "08004", FailureKind.SHARD, "too many connections"),
          new Row(1203, "42000", FailureKind.SHARD, "too many connections for user"),
          new Row(1205, "HY000", FailureKind.SHARD, "lock wait timeout"),
          new Row(1213, "40001", FailureKind.SHARD, "deadlock"),
          new Row(1317, "70100", FailureKind.SHARD, "query interrupted"),
          new Row(1969, "70100", FailureKind.SHARD, "statement timeout (MariaDB)"),
          new Row(3024, "HY000", FailureKind.SHARD, "statement timeout (MySQL)"),
          new Row(1053, "08S01", FailureKind.SHARD, "server shutdown"),
          new Row(1077, "HY000", FailureKind.SHARD, "normal shutdown"),
          new Row(1078, "HY000", FailureKind.SHARD, "got signal"),
          new Row(1079, "HY000", FailureKind.SHARD, "shutdown complete"),
          new Row(1080, "08S01", FailureKind.SHARD, "forcing close"),
          new Row(1152, "08S01", FailureKind.SHARD, "aborted connection"),
          new Row(1154, "08S01", FailureKind.SHARD, "read error from pipe"),
          new Row(1155, "08S01", FailureKind.SHARD, "fcntl error"),
          new Row(1156, "08S01", FailureKind.SHARD, "packets out of order"),
          new Row(1157, "08S01", FailureKind.SHARD, "uncompress error"),
          new Row(1158, "08S01", FailureKind.SHARD, "read error"),
          new Row(1159, "08S01", FailureKind.SHARD, "read timeout"),
          new Row(1160, "08S01", FailureKind.SHARD, "write error"),
          new Row(1161, "08S01", FailureKind.SHARD, "write timeout"),
          new Row(1927, "70100", FailureKind.SHARD, "connection killed"),
          new Row(2002, "HY000", FailureKind.SHARD, "cannot connect (socket)"),
          new Row(2003, "HY000", FailureKind.SHARD, "cannot connect"),
          new Row(2006, "HY000", FailureKind.SHARD, "server gone away"),
          new Row(2013, "HY000", FailureKind.SHARD, "lost connection"),
          new Row(2055, "HY000", FailureKind.SHARD, "lost connection"),
          new Row(4031, "HY000", FailureKind.SHARD, "idle timeout disconnect"),
          new Row(0, "08001", FailureKind.SHARD, "SQLSTATE class 08 without a code"),
          new Row(0, "08S01", FailureKind.SHARD, "communications link failure"),
          new Row(0, "40001", FailureKind.SHARD, "serialization failure"),
          new Row(0, "HYT00", FailureKind.SHARD, "timeout"),
          // Unique conflicts: retried for a bounded time, then dead-lettered with both keys.
          new Row(1062, "23000", FailureKind.UNIQUE_CONFLICT, "duplicate entry"),
          new Row(1586, "23000", FailureKind.UNIQUE_CONFLICT, "duplicate entry for key"),
          new Row(1022, "23000", FailureKind.UNIQUE_CONFLICT, "cannot write, duplicate key"),
          new Row(
              1242, "21000", FailureKind.UNIQUE_CONFLICT, "guarded upsert hit another primary key"),
          // The change's fault: data, constraint, unknown column, syntax.
          new Row(1048, "23000", FailureKind.CHANGE, "column cannot be null"),
          new Row(1452, "23000", FailureKind.CHANGE, "foreign key"),
          new Row(3819, "HY000", FailureKind.CHANGE, "check constraint"),
          new Row(4025, "23000", FailureKind.CHANGE, "check constraint (MariaDB)"),
          new Row(1054, "42S22", FailureKind.CHANGE, "unknown column"),
          new Row(1064, "42000", FailureKind.CHANGE, "syntax error"),
          new Row(1264, "22003", FailureKind.CHANGE, "out of range"),
          new Row(1265, "01000", FailureKind.CHANGE, "data truncated"),
          new Row(1292, "22007", FailureKind.CHANGE, "incorrect datetime"),
          new Row(1366, "HY000", FailureKind.CHANGE, "incorrect string value"),
          new Row(1406, "22001", FailureKind.CHANGE, "data too long"),
          new Row(1364, "HY000", FailureKind.CHANGE, "field has no default"),
          new Row(3105, "HY000", FailureKind.CHANGE, "generated column written"),
          new Row(1906, "HY000", FailureKind.CHANGE, "generated column written (MariaDB)"),
          new Row(0, "22001", FailureKind.CHANGE, "data exception without a code"),
          new Row(0, "23000", FailureKind.CHANGE, "constraint without a code"),
          new Row(0, "42S22", FailureKind.CHANGE, "unknown column without a code"));

  @Test
  void rule4_everyErrorCodeAndSqlStateOfTheTableIsClassified() {
    for (Row r : TABLE) {
      assertEquals(
          r.expected(),
          strategy.classify(new SQLException(r.what(), r.state(), r.code())),
          r.code() + " [" + r.state() + "] " + r.what());
    }
  }

  @Test
  void rule4_shardFaultsAreRecognisedInsideCausesAndNextExceptions() {
    SQLException full = new SQLException("The table 'Users' is full", "HY000", 1114);
    assertEquals(FailureKind.SHARD, strategy.classify(new RuntimeException("wrapped", full)));
    BatchUpdateException batch = new BatchUpdateException("batch", "23000", 1062, new int[0]);
    batch.setNextException(full);
    assertEquals(
        FailureKind.SHARD, strategy.classify(batch), "the shard's fault outranks a conflict");
    assertEquals(
        FailureKind.SHARD, strategy.classify(new SQLTransientConnectionException("pool timeout")));
    assertEquals(
        FailureKind.SHARD, strategy.classify(new SQLTransactionRollbackException("rollback")));
    assertEquals(
        FailureKind.SHARD, strategy.classify(new RuntimeException(new SocketException("reset"))));
    assertEquals(
        FailureKind.SHARD, strategy.classify(new RuntimeException(new EOFException("eof"))));
    assertEquals(
        FailureKind.CHANGE, strategy.classify(new SQLSyntaxErrorException("bad", "42000", 1064)));
    assertEquals(
        FailureKind.UNIQUE_CONFLICT,
        strategy.classify(new SQLIntegrityConstraintViolationException("dup", "23000", 1062)));
    assertEquals(FailureKind.CHANGE, strategy.classify(new IllegalArgumentException("not SQL")));
  }

  @Test
  void rule4_theReasonNamesTheShardFault() {
    assertEquals("table full", MySqlRetryStrategy.reason(new SQLException("x", "HY000", 1114)));
    assertEquals(
        "command denied",
        MySqlRetryStrategy.reason(new RuntimeException(new SQLException("x", "42000", 1142))));
    assertTrue(MySqlRetryStrategy.reason(new SQLException("x", "08S01", 0)).contains("connection"));
  }
}
