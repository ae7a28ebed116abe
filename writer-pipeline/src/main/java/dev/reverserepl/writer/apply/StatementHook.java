package dev.reverserepl.writer.apply;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Called after each data statement inside an apply transaction, before the commit. Production uses
 * {@link #NONE}; tests use it to crash a writer or kill its connection mid-transaction.
 */
@FunctionalInterface
public interface StatementHook {
  StatementHook NONE = (c, n) -> {};

  void afterStatement(Connection connection, int statementsInTransaction) throws SQLException;
}
