package dev.reverserepl.writer.retry;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * MySQL/MariaDB classification. Retryable: connection loss (SQLSTATE class 08, driver communication errors, server
 * gone away / lost / shutting down / connection killed), deadlock (1213), lock-wait timeout (1205), too many
 * connections (1040, 1203), query interrupted (1317), read-only during fail-over (1290, 1836) and pool timeouts.
 * Everything else — data (22), constraint (23), syntax/unknown column (42), conversion — is permanent: the change
 * goes to the dead-letter queue instead of blocking its shard forever.
 */
public final class MySqlRetryStrategy implements RetryStrategy {
  private static final Set<Integer> RETRYABLE_CODES =
      Set.of(1040, 1203, 1205, 1213, 1290, 1836, 1317, 1053, 1077, 1078, 1079, 1080, 1152, 1154, 1155, 1156,
          1157, 1158, 1159, 1160, 1161, 1927, 2002, 2003, 2006, 2013, 2055, 4031);

  @Override
  public FailureKind classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        if (retryable(e)) {
          return FailureKind.RETRYABLE;
        }
        SQLException next = e.getNextException();
        if (next != null && next != e && retryable(next)) {
          return FailureKind.RETRYABLE;
        }
      }
      if (t.getClass().getName().startsWith("com.mysql.cj.exceptions.CJCommunications")
          || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return FailureKind.RETRYABLE;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return FailureKind.PERMANENT;
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("40001"))) {
      return true;
    }
    if (RETRYABLE_CODES.contains(e.getErrorCode())) {
      return true;
    }
    // Covers HikariCP's "connection is not available" and the driver's transient/recoverable families.
    return e instanceof SQLTransientException || e instanceof SQLRecoverableException;
  }
}
