package dev.reverserepl.launcher.verify;

import java.util.List;

/**
 * One row in comparable form: {@code key} and {@code values} are canonical texts ({@link
 * ColumnCodec}) in the order of the table's source primary key and replicated columns; {@code
 * keyParams} are the JDBC values to look the row up again in MySQL. A value of {@link #ABSENT} was
 * never given (an insert without that column) and is not compared.
 */
record CanonicalRow(List<String> key, List<Object> keyParams, List<String> values) {
  static final String ABSENT = "\u0000ABSENT";

  CanonicalRow {
    key = List.copyOf(key);
    keyParams = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(keyParams));
    values = List.copyOf(values);
  }

  String keyText() {
    return String.join(
        ",", key.stream().map(k -> k.equals(ColumnCodec.NULL) ? "NULL" : k).toList());
  }
}
