package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.sql.MySqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A shard table's rows in primary-key order, read in pages of {@code pageSize} with keyset
 * pagination ({@code WHERE (k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT n}), so memory holds one page
 * whatever the table's size and every query uses the primary key index.
 */
final class MySqlRows implements Iterator<CanonicalRow> {
  private final Connection connection;
  private final TableShape shape;
  private final int pageSize;
  private final String firstPage;
  private final String nextPage;
  private final Deque<CanonicalRow> page = new ArrayDeque<>();
  private List<Object> lastKey;
  private boolean exhausted;

  MySqlRows(Connection connection, TableShape shape, int pageSize) {
    this.connection = connection;
    this.shape = shape;
    this.pageSize = pageSize;
    MySqlDialect d = MySqlDialect.forServerVersion("8.0");
    String select = select(shape, d);
    StringJoiner keys = new StringJoiner(", ");
    StringJoiner marks = new StringJoiner(", ");
    for (ColumnMapping k : shape.keyColumns()) {
      keys.add(d.quote(k.sourceColumn()));
      marks.add("?");
    }
    String order = " ORDER BY " + keys + " LIMIT " + pageSize;
    this.firstPage = select + order;
    this.nextPage = select + " WHERE (" + keys + ") > (" + marks + ")" + order;
  }

  static String select(TableShape shape, MySqlDialect d) {
    StringJoiner cols = new StringJoiner(", ");
    for (ColumnMapping k : shape.keyColumns()) {
      cols.add(d.quote(k.sourceColumn()));
    }
    for (ColumnMapping c : shape.columns()) {
      cols.add(ColumnCodec.selectExpression(d.quote(c.sourceColumn()), c));
    }
    return "SELECT " + cols + " FROM " + d.quote(shape.table().sourceTable());
  }

  /** The row with {@code key}'s key as MySQL has it now. */
  static Optional<CanonicalRow> lookup(Connection c, TableShape shape, CanonicalRow key)
      throws SQLException {
    MySqlDialect d = MySqlDialect.forServerVersion("8.0");
    StringJoiner where = new StringJoiner(" AND ");
    for (ColumnMapping k : shape.keyColumns()) {
      where.add(d.quote(k.sourceColumn()) + " = ?");
    }
    try (PreparedStatement ps = c.prepareStatement(select(shape, d) + " WHERE " + where)) {
      for (int i = 0; i < key.keyParams().size(); i++) {
        ps.setObject(i + 1, key.keyParams().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs, shape)) : Optional.empty();
      }
    }
  }

  @Override
  public boolean hasNext() {
    if (page.isEmpty() && !exhausted) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public CanonicalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.removeFirst();
  }

  private void fetch() {
    try (PreparedStatement ps =
        connection.prepareStatement(lastKey == null ? firstPage : nextPage)) {
      if (lastKey != null) {
        for (int i = 0; i < lastKey.size(); i++) {
          ps.setObject(i + 1, lastKey.get(i));
        }
      }
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          CanonicalRow r = row(rs, shape);
          page.addLast(r);
          lastKey = r.keyParams();
          n++;
        }
      }
      exhausted = n < pageSize;
    } catch (SQLException e) {
      throw new VerifyException(
          "reading " + shape.table().sourceTable() + ": " + e.getMessage(), e);
    }
  }

  private static CanonicalRow row(ResultSet rs, TableShape shape) throws SQLException {
    int nk = shape.keyColumns().size();
    List<Object> params = new ArrayList<>(nk);
    for (int i = 0; i < nk; i++) {
      params.add(rs.getObject(i + 1));
    }
    List<String> values = new ArrayList<>(shape.columns().size());
    for (int i = 0; i < shape.columns().size(); i++) {
      values.add(ColumnCodec.fromMySql(rs, nk + i + 1, shape.columns().get(i)));
    }
    List<String> key = new ArrayList<>(nk);
    for (ColumnMapping k : shape.keyColumns()) {
      key.add(values.get(shape.indexOf(k)));
    }
    return new CanonicalRow(key, params, values);
  }
}
