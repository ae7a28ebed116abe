package dev.reverserepl.common.session;

import java.io.Serializable;
import java.util.Objects;

/**
 * One Spanner column and the source column it is written to. {@code sourceColumn} (and {@code
 * sourceType}) are null when the column exists only in Spanner (e.g. {@code migration_shard_id} or
 * a synthetic primary key): such a column is not replicated.
 */
public record ColumnMapping(
    String spannerColumn,
    SpannerType spannerType,
    String sourceColumn,
    SourceType sourceType,
    boolean sourceNullable)
    implements Serializable {
  public ColumnMapping {
    Objects.requireNonNull(spannerColumn, "spannerColumn");
    Objects.requireNonNull(spannerType, "spannerType");
    if ((sourceColumn == null) != (sourceType == null)) {
      throw new IllegalArgumentException(
          "column "
              + spannerColumn
              + ": sourceColumn and sourceType must both be set or both be null");
    }
  }

  /** True when the column has a source column and its values are written to MySQL. */
  public boolean replicated() {
    return sourceColumn != null;
  }
}
