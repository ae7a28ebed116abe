package dev.reverserepl.common.translate;

import dev.reverserepl.common.change.ModKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One change in source terms: the source table, and source column names with JDBC-ready values. For
 * inserts and updates {@code columns}/{@code values} are the full row to upsert (key columns
 * included); for deletes they are empty and {@code keyColumns}/{@code keyValues} identify the row.
 * Values may be {@code null} (SQL NULL).
 */
public record RowChange(
    String sourceTable,
    ModKind kind,
    List<String> columns,
    List<Object> values,
    List<String> keyColumns,
    List<Object> keyValues)
    implements Serializable {

  public RowChange {
    Objects.requireNonNull(sourceTable, "sourceTable");
    Objects.requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
    values = Collections.unmodifiableList(new ArrayList<>(values));
    keyColumns = List.copyOf(keyColumns);
    keyValues = Collections.unmodifiableList(new ArrayList<>(keyValues));
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + values.size() + " values");
    }
    if (keyColumns.size() != keyValues.size()) {
      throw new IllegalArgumentException(
          keyColumns.size() + " key columns but " + keyValues.size() + " values");
    }
  }

  /** The value of a column of the row (case-insensitive name), or of a key column for deletes. */
  public Object value(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(column)) {
        return values.get(i);
      }
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      if (keyColumns.get(i).equalsIgnoreCase(column)) {
        return keyValues.get(i);
      }
    }
    throw new IllegalArgumentException("no column " + column + " in change of " + sourceTable);
  }

  @Override
  public String toString() {
    // Values can be large or sensitive; keys identify the row.
    return "RowChange["
        + kind
        + " "
        + sourceTable
        + " key "
        + keyColumns
        + "="
        + keyValues
        + ", columns "
        + columns
        + "]";
  }
}
