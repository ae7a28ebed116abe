package dev.reverserepl.reverse.binlog;

import java.io.Serializable;
import java.util.List;

/**
 * A source table as the binlog needs it: column names in ordinal order (row events carry values by
 * position only), each column's character set (row events carry text as bytes) and, for ENUM/SET
 * columns, their members (row events carry an index or a bit mask).
 */
public record SourceTable(String schema, String name, List<Column> columns)
    implements Serializable {
  public record Column(
      String name, String dataType, boolean unsigned, String charset, List<String> members)
      implements Serializable {
    public Column {
      members = List.copyOf(members);
    }
  }

  public SourceTable {
    columns = List.copyOf(columns);
  }
}
