package dev.reverserepl.common.session;

import dev.reverserepl.common.changes.InputFiles;
import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the Spanner migration tool's session file says about replicating Spanner tables back to the
 * source: for each Spanner table that has a source table, a {@link TableMapping}. Spanner-only
 * tables are listed by {@link #skippedTables()}. It guarantees rules 1..13 of "Session file" in the
 * module README.
 */
public final class SessionMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final Map<String, TableMapping> tables;
  private final List<String> skippedTables;
  private final boolean sharded;

  SessionMapping(
      String source,
      Map<String, TableMapping> tables,
      List<String> skippedTables,
      boolean sharded) {
    this.source = source;
    this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    this.skippedTables = List.copyOf(skippedTables);
    this.sharded = sharded;
  }

  /** Reads a session file from a local path or any Beam file system URI (gs://...). */
  public static SessionMapping load(String path) {
    return parse(InputFiles.readString(path), path);
  }

  /** Parses session JSON; {@code sourceName} is used in error messages. */
  public static SessionMapping parse(String json, String sourceName) {
    return new SessionParser(sourceName).parse(json);
  }

  /** The mapping of a Spanner table; empty when the table is not in the source (or unknown). */
  public Optional<TableMapping> table(String spannerTable) {
    if (spannerTable == null) {
      return Optional.empty();
    }
    TableMapping t = tables.get(spannerTable);
    if (t != null) {
      return Optional.of(t);
    }
    // Spanner table names are case-insensitive.
    String lower = spannerTable.toLowerCase(Locale.ROOT);
    return tables.values().stream()
        .filter(m -> m.spannerTable().toLowerCase(Locale.ROOT).equals(lower))
        .findFirst();
  }

  /** Every replicated table, in session file order. */
  public Collection<TableMapping> tables() {
    return tables.values();
  }

  /** Spanner tables with no source table: their changes are skipped (and counted) by the writer. */
  public List<String> skippedTables() {
    return skippedTables;
  }

  /** True when the Spanner table exists in the session file but not in the source. */
  public boolean isSkippedTable(String spannerTable) {
    return spannerTable != null
        && skippedTables.stream().anyMatch(s -> s.equalsIgnoreCase(spannerTable));
  }

  /** True when the session says {@code IsSharded} or any table has a shard-id column. */
  public boolean isSharded() {
    return sharded;
  }

  /** Where the session was read from. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "SessionMapping{"
        + source
        + ", tables="
        + tables.keySet()
        + ", skipped="
        + skippedTables
        + ", sharded="
        + sharded
        + "}";
  }
}
