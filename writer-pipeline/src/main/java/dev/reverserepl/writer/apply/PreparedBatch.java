package dev.reverserepl.writer.apply;

import dev.reverserepl.common.sql.SqlStatement;
import java.util.List;

/**
 * The changes of one MySQL transaction with their translations and, when it could be worked out
 * beside the previous commit, its plan: the rows and statements the transaction writes if every
 * change is still fresh and none is dead-lettered — the common case, checked again by the
 * transaction before it uses them.
 */
record PreparedBatch(List<PreparedChange> changes, Ahead ahead) {
  /** What the first attempt writes when nothing of the batch is covered yet. */
  record Ahead(BatchTranslation translation, List<SqlStatement> statements) {}

  static PreparedBatch of(List<PreparedChange> changes) {
    return new PreparedBatch(changes, null);
  }

  /**
   * Plans {@code changes} ahead when every one is translated (a failed translation dead-letters,
   * which only the transaction may do).
   */
  static PreparedBatch planned(List<PreparedChange> changes, ShardEnvironment env) {
    BatchTranslation t = BatchTranslation.ofTranslated(changes, env.schema());
    if (t == null) {
      return of(changes);
    }
    return new PreparedBatch(
        changes, new Ahead(t, env.planner().plan(t.rows(), env::hasUniqueIndex)));
  }

  int size() {
    return changes.size();
  }

  PreparedChange get(int i) {
    return changes.get(i);
  }
}
