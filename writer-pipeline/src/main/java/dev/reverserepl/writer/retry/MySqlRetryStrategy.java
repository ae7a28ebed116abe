package dev.reverserepl.writer.retry;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;

/**
 * MySQL/MariaDB classification of a failure (the table in the module README, rule 4; covered row by
 * row by {@code MySqlRetryStrategyTest}).
 *
 * <ul>
 *   <li><b>Shard</b>: connection loss (SQLSTATE class 08, driver communication errors, server gone
 *       / lost / shutting down, connection killed), serialization failure 40001, deadlock 1213,
 *       lock-wait timeout 1205, too many connections 1040/1203, query interrupted 1317, statement
 *       timeouts 1969/3024, disk or table full 1021/1114, storage engine error 1030, out of memory
 *       1037/1041, lock table full 1206, read-only 1036/1290/1792/1836, denied
 *       1044/1045/1142/1143/1227/1370, missing table 1146, packet too big 1153, table locked
 *       1099/1223, commit/rollback failures 1180/1181, too many transactions 1637, pool timeouts.
 *   <li><b>Unique conflict</b>: duplicate entry 1062/1586/1022, and 1242, which the guarded upsert
 *       of a table with a unique secondary index raises when the row it hit has another primary
 *       key.
 *   <li><b>Change</b>: everything else — data (22), constraint (23), unknown column and syntax
 *       (42).
 * </ul>
 *
 * The error code decides before the SQLSTATE, because MySQL reports some shard faults (1142, 1146)
 * under a class (42) that otherwise means a bad statement.
 */
public final class MySqlRetryStrategy implements RetryStrategy {
  /**
   * Error codes that are the shard's fault, each with why (used in log lines and the blocked
   * status).
   */
  static final Map<Integer, String> SHARD_CODES =
      Map.ofEntries(
          Map.entry(1021, "disk full"),
          Map.entry(1114, "table full"),
          Map.entry(1030, "storage engine error"),
          Map.entry(1037, "out of memory"),
          Map.entry(1041, "out of memory"),
          Map.entry(1206, "lock table full"),
          Map.entry(1036, "table read-only"),
          Map.entry(1290, "server read-only"),
          Map.entry(1792, "read-only transaction"),
          Map.entry(1836, "server read-only"),
          Map.entry(1044, "access denied"),
          Map.entry(1045, "access denied"),
          Map.entry(1142, "command denied"),
          Map.entry(1143, "column access denied"),
          Map.entry(1227, "privilege missing"),
          Map.entry(1370, "routine access denied"),
          Map.entry(1146, "table missing"),
          Map.entry(1153, "packet too big"),
          Map.entry(1099, "table locked"),
          Map.entry(1223, "conflicting read lock"),
          Map.entry(1180, "commit failed"),
          Map.entry(1181, "rollback failed"),
          Map.entry(1637, "too many active transactions"),
          Map.entry(1040, "too many connections"),
          Map.entry(1203, "too many connections for user"),
          Map.entry(1205, "lock wait timeout"),
          Map.entry(1213, "deadlock"),
          Map.entry(1317, "query interrupted"),
          Map.entry(1969, "statement timeout"),
          Map.entry(3024, "statement timeout"),
          Map.entry(1053, "server shutdown"),
          Map.entry(1077, "server shutdown"),
          Map.entry(1078, "server shutdown"),
          Map.entry(1079, "server shutdown"),
          Map.entry(1080, "thread killed"),
          Map.entry(1152, "connection aborted"),
          Map.entry(1154, "network read error"),
          Map.entry(1155, "network read error"),
          Map.entry(1156, "packets out of order"),
          Map.entry(1157, "uncompress error"),
          Map.entry(1158, "network read error"),
          Map.entry(1159, "network read timeout"),
          Map.entry(1160, "network write error"),
          Map.entry(1161, "network write timeout"),
          Map.entry(1927, "connection killed"),
          Map.entry(2002, "cannot connect"),
          Map.entry(2003, "cannot connect"),
          Map.entry(2006, "server gone away"),
          Map.entry(2013, "connection lost"),
          Map.entry(2055, "connection lost"),
          Map.entry(4031, "idle timeout"));

  static final Set<Integer> UNIQUE_CONFLICT_CODES = Set.of(1062, 1586, 1022, 1242);

  @Override
  public FailureKind classify(Throwable failure) {
    FailureKind kind = FailureKind.CHANGE;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        kind = worst(kind, of(e));
        SQLException next = e.getNextException();
        if (next != null && next != e) {
          kind = worst(kind, of(next));
        }
      }
      if (t.getClass().getName().startsWith("com.mysql.cj.exceptions.CJCommunications")
          || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return FailureKind.SHARD;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return kind;
  }

  /**
   * Why a failure is the shard's fault, for log lines and the blocked status; the driver's message
   * otherwise.
   */
  public static String reason(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException e && SHARD_CODES.containsKey(e.getErrorCode())) {
        return SHARD_CODES.get(e.getErrorCode());
      }
    }
    return "connection or server failure";
  }

  // The shard's fault outranks a conflict, which outranks the change's fault.
  private static FailureKind worst(FailureKind a, FailureKind b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private static FailureKind of(SQLException e) {
    int code = e.getErrorCode();
    if (SHARD_CODES.containsKey(code)) {
      return FailureKind.SHARD;
    }
    if (UNIQUE_CONFLICT_CODES.contains(code)) {
      return FailureKind.UNIQUE_CONFLICT;
    }
    String state = e.getSQLState();
    if (state != null
        && (state.startsWith("08") || state.equals("40001") || state.equals("HYT00"))) {
      return FailureKind.SHARD;
    }
    // Covers HikariCP's "connection is not available" and the driver's transient/recoverable
    // families.
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return FailureKind.SHARD;
    }
    return FailureKind.CHANGE;
  }
}
