package dev.reverserepl.writer.apply;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Foreign-key checks are off for the apply session: every child change, cascades included, is
 * itself in the stream, and rule 4 of {@link StatementPlanner} reorders across tables. Set once per
 * physical connection (the writer's pools also set it when they open one), not once per
 * transaction.
 */
final class SessionSetup {
  private final Map<Connection, Boolean> prepared =
      Collections.synchronizedMap(new WeakHashMap<>());

  void prepare(Connection c) throws SQLException {
    Connection physical = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
    if (prepared.containsKey(physical)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION foreign_key_checks = 0");
    }
    prepared.put(physical, Boolean.TRUE);
  }
}
