package dev.reverserepl.writer.apply;

import dev.reverserepl.common.sql.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the statements of one transaction, preparing each statement shape (SQL text) once and
 * re-binding it for every later statement of the same shape: full multi-row groups of a table all
 * share one text.
 */
final class StatementExecutor implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  StatementExecutor(Connection connection) {
    this.connection = connection;
  }

  int execute(SqlStatement s) throws SQLException {
    PreparedStatement ps = prepared.get(s.sql());
    if (ps == null) {
      ps = connection.prepareStatement(s.sql());
      prepared.put(s.sql(), ps);
    }
    s.bind(ps);
    return ps.executeUpdate();
  }

  @Override
  public void close() {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // Closing the connection (or returning it to the pool) releases it anyway.
      }
    }
    prepared.clear();
  }
}
