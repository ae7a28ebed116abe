package dev.reverserepl.writer.apply;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connection the transactions of one apply call share: taken from the pool by the first
 * transaction and kept in manual-commit mode, so that each further transaction costs no pool
 * hand-over and no autocommit switches (two round trips each). It goes back to the pool after any
 * attempt that did not commit — a connection in an unknown state is never reused, and nothing waits
 * (backoff, pause, describing a conflict) while holding one — and when the call ends.
 */
final class HeldConnection implements AutoCloseable {
  private final DataSource dataSource;
  private final SessionSetup session;
  private Connection connection;

  HeldConnection(DataSource dataSource, SessionSetup session) {
    this.dataSource = dataSource;
    this.session = session;
  }

  Connection get() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      try {
        c.setAutoCommit(false);
        session.prepare(c);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /** Gives the connection back to the pool (which rolls back anything left open). */
  void release() {
    if (connection != null) {
      closeQuietly(connection);
      connection = null;
    }
  }

  @Override
  public void close() {
    release();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // A broken connection is evicted by the pool; the server rolls back on disconnect.
    }
  }
}
