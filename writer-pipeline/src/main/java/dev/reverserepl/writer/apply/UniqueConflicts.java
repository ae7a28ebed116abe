package dev.reverserepl.writer.apply;

import dev.reverserepl.common.sql.LiveSchema;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.translate.RowChange;
import dev.reverserepl.common.translate.TranslationResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Names both keys of a unique conflict for its dead letter: the change's own primary key and, per
 * unique secondary index of the table, the primary key of the row that holds the change's value
 * now.
 */
final class UniqueConflicts {
  private static final MySqlDialect QUOTING = MySqlDialect.portable();

  private UniqueConflicts() {}

  static String describe(
      DataSource dataSource, LiveSchema schema, PreparedChange p, Throwable error) {
    String base = "unique conflict: " + error.getMessage();
    if (!(p.translation() instanceof TranslationResult.Translated t)) {
      return base;
    }
    RowChange row = t.rowChange();
    Optional<LiveSchema.LiveTable> table = schema.table(row.sourceTable());
    if (table.isEmpty()) {
      return base;
    }
    List<String> holders = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      for (Map.Entry<String, List<String>> index : table.get().uniqueIndexes().entrySet()) {
        holder(c, row, index.getValue())
            .ifPresent(
                key ->
                    holders.add(
                        "unique index "
                            + index.getKey()
                            + " "
                            + index.getValue()
                            + " is held by the row with key "
                            + row.keyColumns()
                            + "="
                            + key));
      }
    } catch (SQLException | IllegalArgumentException e) {
      holders.add("(holder not found: " + e.getMessage() + ")");
    }
    return "unique conflict: the change to "
        + row.sourceTable()
        + " key "
        + row.keyColumns()
        + "="
        + row.keyValues()
        + (holders.isEmpty() ? "" : " collides: " + String.join("; ", holders))
        + " ["
        + error.getMessage()
        + "]";
  }

  private static Optional<List<Object>> holder(
      Connection c, RowChange row, List<String> indexColumns) throws SQLException {
    List<Object> values = new ArrayList<>();
    StringBuilder where = new StringBuilder();
    for (String col : indexColumns) {
      Object v;
      try {
        v = row.value(col);
      } catch (IllegalArgumentException notInChange) {
        return Optional.empty();
      }
      if (v == null) {
        return Optional.empty(); // NULLs never collide in a unique index
      }
      where.append(where.length() == 0 ? "" : " AND ").append(QUOTING.quote(col)).append(" = ?");
      values.add(v);
    }
    StringBuilder keys = new StringBuilder();
    for (String k : row.keyColumns()) {
      keys.append(keys.length() == 0 ? "" : ",").append(QUOTING.quote(k));
    }
    String sql =
        "SELECT "
            + keys
            + " FROM "
            + QUOTING.quote(row.sourceTable())
            + " WHERE "
            + where
            + " LIMIT 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        ps.setObject(i + 1, values.get(i) instanceof byte[] b ? b : values.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<Object> key = new ArrayList<>();
        for (int i = 1; i <= row.keyColumns().size(); i++) {
          key.add(rs.getObject(i));
        }
        return Optional.of(key);
      }
    }
  }
}
