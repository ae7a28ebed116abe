package dev.reverserepl.common.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL 5.7/8.x and MariaDB.
 *
 * <p>Rules (continuing {@link SqlDialect}'s):
 *
 * <ol start="4">
 *   <li>Upsert is {@code INSERT ... VALUES (..),(..) ON DUPLICATE KEY UPDATE}; every non-key column
 *       takes the new value, so a row that exists ends up exactly as the last row for its key in
 *       the statement.
 *   <li>When every column is a key column the update is the no-op {@code `k`=`k`}, so re-inserting
 *       an existing row succeeds and changes nothing.
 *   <li>The new-row reference is {@code VALUES(`c`)}, which works on MariaDB and all MySQL
 *       versions; the MySQL 8.0.19+ row alias is used only for a server that reports a parseable
 *       MySQL version of 8.0.19 or later (MySQL 8.0.20+ deprecates {@code VALUES()}); MariaDB (its
 *       version string contains "MariaDB") and any version we cannot parse get {@code VALUES()}.
 *   <li>Delete matches the whole source primary key: {@code `k` IN (?,?)} for one key column, an OR
 *       of {@code (`k1`=? AND `k2`=?)} for composite keys (both servers plan it as a range scan of
 *       the primary key).
 *   <li>The guarded upsert ({@link #guardedUpsert}, for tables with a unique secondary index) never
 *       updates a row with another primary key: its first assignment keeps the key when the row the
 *       insert collided with has the same primary key, and otherwise evaluates a scalar subquery of
 *       two rows, which fails the statement with error 1242 (SQLSTATE 21000). A collision with the
 *       row's own key that also moves a unique value onto another row still fails with 1062. Either
 *       way the statement changes nothing.
 * </ol>
 */
public final class MySqlDialect extends SqlDialect {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final String ROW_ALIAS = "rr_new";

  private final boolean rowAlias;

  private MySqlDialect(boolean rowAlias) {
    this.rowAlias = rowAlias;
  }

  /** The form that works on every server ({@code VALUES()}). */
  public static MySqlDialect portable() {
    return new MySqlDialect(false);
  }

  /**
   * Chooses the upsert form for a server version as reported by {@code DatabaseMetaData} or {@code
   * VERSION()}.
   */
  public static MySqlDialect forServerVersion(String version) {
    return new MySqlDialect(supportsRowAlias(version));
  }

  static boolean supportsRowAlias(String version) {
    if (version == null || version.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return false;
    }
    Matcher m = VERSION.matcher(version.trim());
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    int patch = Integer.parseInt(m.group(3));
    if (major == 5 && minor == 5 && patch == 5) {
      return false; // "5.5.5-" is the prefix MariaDB 10.x puts before its real version
    }
    return major > 8 || (major == 8 && (minor > 0 || patch >= 19));
  }

  public boolean usesRowAlias() {
    return rowAlias;
  }

  @Override
  public String quote(String identifier) {
    checkIdentifier("identifier", identifier);
    return "`" + identifier.replace("`", "``") + "`";
  }

  @Override
  public SqlStatement upsert(
      String table, List<String> columns, List<String> keyColumns, List<List<Object>> rows) {
    return upsert(table, columns, keyColumns, rows, false);
  }

  /** Rule 8: an upsert that fails instead of updating a row with a different primary key. */
  public SqlStatement guardedUpsert(
      String table, List<String> columns, List<String> keyColumns, List<List<Object>> rows) {
    return upsert(table, columns, keyColumns, rows, true);
  }

  private SqlStatement upsert(
      String table,
      List<String> columns,
      List<String> keyColumns,
      List<List<Object>> rows,
      boolean guard) {
    checkColumns(table, columns, keyColumns);
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("table " + table + ": upsert needs the key columns");
    }
    checkRows(table, columns.size(), rows, false);
    String alias = ROW_ALIAS.equalsIgnoreCase(table) ? ROW_ALIAS + "_row" : ROW_ALIAS;
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(quote(table))
            .append(" (")
            .append(columnList(columns))
            .append(") VALUES ")
            .append(placeholderRows(columns.size(), rows.size()));
    if (rowAlias) {
      sql.append(" AS ").append(quote(alias));
    }
    sql.append(" ON DUPLICATE KEY UPDATE ");
    List<String> keysLower = keyColumns.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    boolean first = true;
    if (guard) {
      // Assignments run left to right, so the check sees the collided row before anything changes.
      String k0 = quote(keyColumns.get(0));
      sql.append(k0).append("=IF(");
      for (int i = 0; i < keyColumns.size(); i++) {
        if (i > 0) {
          sql.append(" AND ");
        }
        sql.append(quote(keyColumns.get(i)))
            .append("<=>")
            .append(newValue(alias, keyColumns.get(i)));
      }
      sql.append(',').append(k0).append(",(SELECT 1 UNION SELECT 2))");
      first = false;
    }
    for (String c : columns) {
      if (keysLower.contains(c.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (!first) {
        sql.append(',');
      }
      first = false;
      sql.append(quote(c)).append('=').append(newValue(alias, c));
    }
    if (first) {
      String k = quote(keyColumns.get(0));
      sql.append(k).append('=').append(k);
    }
    List<Object> params = new ArrayList<>(columns.size() * rows.size());
    rows.forEach(params::addAll);
    return new SqlStatement(sql.toString(), params);
  }

  private String newValue(String alias, String column) {
    return rowAlias ? quote(alias) + "." + quote(column) : "VALUES(" + quote(column) + ")";
  }

  @Override
  public SqlStatement delete(String table, List<String> keyColumns, List<List<Object>> keys) {
    checkColumns(table, keyColumns, keyColumns);
    checkRows(table, keyColumns.size(), keys, true);
    StringBuilder sql = new StringBuilder("DELETE FROM ").append(quote(table)).append(" WHERE ");
    if (keyColumns.size() == 1) {
      sql.append(quote(keyColumns.get(0))).append(" IN ").append(placeholderTuple(keys.size()));
    } else {
      StringBuilder match = new StringBuilder("(");
      for (int i = 0; i < keyColumns.size(); i++) {
        if (i > 0) {
          match.append(" AND ");
        }
        match.append(quote(keyColumns.get(i))).append("=?");
      }
      match.append(')');
      for (int r = 0; r < keys.size(); r++) {
        if (r > 0) {
          sql.append(" OR ");
        }
        sql.append(match);
      }
    }
    List<Object> params = new ArrayList<>(keyColumns.size() * keys.size());
    keys.forEach(params::addAll);
    return new SqlStatement(sql.toString(), params);
  }

  @Override
  public String toString() {
    return "MySqlDialect[" + (rowAlias ? "row alias" : "VALUES()") + "]";
  }
}
