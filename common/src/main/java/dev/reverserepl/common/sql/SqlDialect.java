package dev.reverserepl.common.sql;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every SQL dialect shares: identifier quoting, placeholder lists and multi-row {@code
 * VALUES}. Subclasses add the upsert and delete forms of their database.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>Values are only ever {@code ?} placeholders; the SQL text holds nothing but quoted
 *       identifiers and keywords.
 *   <li>Every identifier is quoted and a quote character inside it is doubled, so any name
 *       (reserved word, backtick, quote, {@code ; DROP TABLE}) is one identifier.
 *   <li>Malformed requests (no rows, a row of the wrong width, a key column not among the columns,
 *       a duplicate column, an empty name, a NULL key value in a delete) fail before any SQL is
 *       built.
 * </ol>
 */
public abstract class SqlDialect implements Serializable {
  /** The most placeholders a server-side prepared statement may have. */
  public static final int MAX_PLACEHOLDERS = 65_535;

  /** Quotes one identifier. */
  public abstract String quote(String identifier);

  public abstract SqlStatement upsert(
      String table, List<String> columns, List<String> keyColumns, List<List<Object>> rows);

  public abstract SqlStatement delete(
      String table, List<String> keyColumns, List<List<Object>> keys);

  /** How many rows of {@code columnsPerRow} values fit in one statement. */
  public int maxRowsPerStatement(int columnsPerRow) {
    return Math.max(1, MAX_PLACEHOLDERS / Math.max(1, columnsPerRow));
  }

  /** {@code `a`,`b`,`c`}. */
  protected String columnList(List<String> columns) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(columns.get(i)));
    }
    return sb.toString();
  }

  /** {@code (?,?,?)}. */
  protected static String placeholderTuple(int width) {
    StringBuilder sb = new StringBuilder(width * 2 + 2).append('(');
    for (int i = 0; i < width; i++) {
      sb.append(i == 0 ? "?" : ",?");
    }
    return sb.append(')').toString();
  }

  /** {@code (?,?),(?,?)} for {@code rows} rows. */
  protected static String placeholderRows(int width, int rows) {
    String tuple = placeholderTuple(width);
    StringBuilder sb = new StringBuilder(rows * (tuple.length() + 1));
    for (int r = 0; r < rows; r++) {
      if (r > 0) {
        sb.append(',');
      }
      sb.append(tuple);
    }
    return sb.toString();
  }

  protected static void checkIdentifier(String what, String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      throw new IllegalArgumentException(what + " name is empty");
    }
    if (identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          what + " name contains NUL: " + identifier.replace('\0', '?'));
    }
  }

  protected void checkColumns(String table, List<String> columns, List<String> keyColumns) {
    checkIdentifier("table", table);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + table + ": no columns");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      checkIdentifier("column", c);
      // MySQL column names are case-insensitive: `A` and `a` are the same column.
      if (!seen.add(c.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("table " + table + ": duplicate column " + c);
      }
    }
    for (String k : keyColumns) {
      if (!seen.contains(k.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException(
            "table " + table + ": key column " + k + " is not among the columns");
      }
    }
  }

  protected static void checkRows(String table, int width, List<List<Object>> rows, boolean keys) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("table " + table + ": no rows");
    }
    for (int r = 0; r < rows.size(); r++) {
      List<Object> row = rows.get(r);
      if (row.size() != width) {
        throw new IllegalArgumentException(
            "table " + table + ": row " + r + " has " + row.size() + " values, expected " + width);
      }
      if (keys && row.contains(null)) {
        throw new IllegalArgumentException(
            "table " + table + ": row " + r + " has a NULL key value");
      }
    }
    if ((long) width * rows.size() > MAX_PLACEHOLDERS) {
      throw new IllegalArgumentException(
          "table "
              + table
              + ": "
              + rows.size()
              + " rows of "
              + width
              + " values exceed "
              + MAX_PLACEHOLDERS
              + " placeholders; split the batch");
    }
  }
}
