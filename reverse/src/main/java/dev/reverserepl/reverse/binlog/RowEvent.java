package dev.reverserepl.reverse.binlog;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One changed row of a binlog row event, values by source column position as the connector decodes
 * them (see {@link BinlogStream} for the decoding modes). {@code before} is null for inserts,
 * {@code after} null for deletes.
 */
public record RowEvent(Kind kind, SourceTable table, Serializable[] before, Serializable[] after) {
  public enum Kind {
    INSERT,
    UPDATE,
    DELETE
  }

  public RowEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(table, "table");
    if ((kind == Kind.INSERT) != (before == null) || (kind == Kind.DELETE) != (after == null)) {
      throw new IllegalArgumentException(kind + " row of " + table.name() + " with wrong images");
    }
  }

  @Override
  public String toString() {
    return kind
        + " "
        + table.name()
        + " before="
        + Arrays.toString(before)
        + " after="
        + Arrays.toString(after);
  }
}
