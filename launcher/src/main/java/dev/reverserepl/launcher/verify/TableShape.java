package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.TableMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns the verifier compares for one table: source primary key first (key order), then every
 * replicated column.
 */
record TableShape(TableMapping table, List<ColumnMapping> keyColumns, List<ColumnMapping> columns) {
  static TableShape of(TableMapping t) {
    List<ColumnMapping> keys = new ArrayList<>();
    for (String k : t.sourcePrimaryKey()) {
      keys.add(
          t.sourceColumn(k)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "session",
                          "table " + t.spannerTable(),
                          "sourcePrimaryKey",
                          "source key column '" + k + "' has no replicated Spanner column")));
    }
    return new TableShape(t, List.copyOf(keys), t.replicatedColumns());
  }

  List<String> columnNames() {
    return columns.stream().map(ColumnMapping::sourceColumn).toList();
  }

  int indexOf(ColumnMapping c) {
    return columns.indexOf(c);
  }
}
