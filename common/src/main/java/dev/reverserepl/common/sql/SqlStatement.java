package dev.reverserepl.common.sql;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * SQL text with {@code ?} placeholders and the values for them, in order. Values never appear in
 * the text.
 *
 * <p>{@code parameters} may contain {@code null} (bound as SQL NULL).
 */
public record SqlStatement(String sql, List<Object> parameters) implements Serializable {

  public SqlStatement {
    Objects.requireNonNull(sql, "sql");
    parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
  }

  /**
   * Binds every parameter; {@code byte[]} as bytes so binary data is never run through a character
   * set.
   */
  public void bind(PreparedStatement statement) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      int index = i + 1;
      if (value == null) {
        statement.setNull(index, Types.NULL);
      } else if (value instanceof byte[] bytes) {
        statement.setBytes(index, bytes);
      } else if (value instanceof String s) {
        statement.setString(index, s);
      } else {
        statement.setObject(index, value);
      }
    }
  }

  @Override
  public String toString() {
    // Values may be large or sensitive; the SQL and the count are enough to diagnose.
    return "SqlStatement[" + sql + " | " + parameters.size() + " parameters]";
  }
}
