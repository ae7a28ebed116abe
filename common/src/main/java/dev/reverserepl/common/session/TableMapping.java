package dev.reverserepl.common.session;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Spanner table and the source table it is replicated to.
 *
 * <p>{@code spannerPrimaryKey} lists Spanner column names in key order. {@code sourcePrimaryKey}
 * lists source column names: the source table's own primary key, or, when the source table has
 * none, the source columns of the Spanner primary key (rule 5 of "Session file" in the module
 * README). {@code shardIdColumn} is the Spanner column holding the logical shard id, or null.
 */
public record TableMapping(
    String spannerTable,
    String sourceTable,
    List<ColumnMapping> columns,
    List<String> spannerPrimaryKey,
    List<String> sourcePrimaryKey,
    String shardIdColumn,
    boolean hasUniqueSecondaryIndex)
    implements Serializable {

  public TableMapping {
    Objects.requireNonNull(spannerTable, "spannerTable");
    Objects.requireNonNull(sourceTable, "sourceTable");
    columns = List.copyOf(columns);
    spannerPrimaryKey = List.copyOf(spannerPrimaryKey);
    sourcePrimaryKey = List.copyOf(sourcePrimaryKey);
    shardIdColumn = shardIdColumn == null || shardIdColumn.isEmpty() ? null : shardIdColumn;
  }

  /**
   * The mapping of a Spanner column by name; exact match first, then case-insensitive (Spanner
   * names are).
   */
  public Optional<ColumnMapping> column(String spannerColumn) {
    for (ColumnMapping c : columns) {
      if (c.spannerColumn().equals(spannerColumn)) {
        return Optional.of(c);
      }
    }
    String lower = spannerColumn.toLowerCase(Locale.ROOT);
    for (ColumnMapping c : columns) {
      if (c.spannerColumn().toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Columns written to the source, in Spanner column order. */
  public List<ColumnMapping> replicatedColumns() {
    return columns.stream().filter(ColumnMapping::replicated).toList();
  }

  /** Spanner columns with no source column; their values are never written. */
  public List<String> unmappedSpannerColumns() {
    return columns.stream().filter(c -> !c.replicated()).map(ColumnMapping::spannerColumn).toList();
  }

  /**
   * Source primary-key columns with no Spanner column. A change never carries their values, so
   * deletes (and key updates) of such a table cannot be expressed from the change alone; callers
   * report them instead of guessing.
   */
  public List<String> unmappedSourceKeyColumns() {
    return sourcePrimaryKey.stream().filter(k -> sourceColumn(k).isEmpty()).toList();
  }

  /** The mapping of a source column by name (case-insensitive, as MySQL column names are). */
  public Optional<ColumnMapping> sourceColumn(String sourceColumn) {
    for (ColumnMapping c : columns) {
      if (c.replicated() && c.sourceColumn().equalsIgnoreCase(sourceColumn)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
