package dev.reverserepl.reverse.binlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Column layouts of source tables from {@code information_schema.COLUMNS}, read once per table. A
 * table whose column count differs from a row event's was altered after the commit point; the
 * reverse stops instead of guessing (schema changes during the reverse direction are not
 * supported).
 */
public final class SourceTables {
  private final Connection connection;
  private final Map<String, SourceTable> cache = new HashMap<>();

  public SourceTables(Connection connection) {
    this.connection = connection;
  }

  public SourceTable get(String schema, String table) throws SQLException {
    String key = schema + "." + table;
    SourceTable t = cache.get(key);
    if (t == null) {
      t = load(schema, table);
      cache.put(key, t);
    }
    return t;
  }

  /** Forgets every layout (after DDL in the binlog). */
  public void invalidate() {
    cache.clear();
  }

  private SourceTable load(String schema, String table) throws SQLException {
    List<SourceTable.Column> cols = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(2).toLowerCase(Locale.ROOT);
          List<String> members =
              type.equals("enum") || type.equals("set") ? members(rs.getString(4)) : List.of();
          String columnType = rs.getString(4).toLowerCase(Locale.ROOT);
          cols.add(
              new SourceTable.Column(
                  rs.getString(1),
                  type,
                  columnType.contains("unsigned"),
                  rs.getString(3),
                  members));
        }
      }
    }
    return new SourceTable(schema, table, cols);
  }

  /** {@code enum('a','b''c')} → [a, b'c]. */
  static List<String> members(String columnType) {
    List<String> out = new ArrayList<>();
    int i = columnType.indexOf('(') + 1;
    StringBuilder cur = null;
    while (i < columnType.length()) {
      char ch = columnType.charAt(i);
      if (cur == null) {
        if (ch == '\'') {
          cur = new StringBuilder();
        }
      } else if (ch == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
        cur.append('\'');
        i++;
      } else if (ch == '\'') {
        out.add(cur.toString());
        cur = null;
      } else {
        cur.append(ch);
      }
      i++;
    }
    return out;
  }
}
