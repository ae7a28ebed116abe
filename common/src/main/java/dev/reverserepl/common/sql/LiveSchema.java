package dev.reverserepl.common.sql;

import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.translate.RowChange;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a shard's database really has, read once from {@code information_schema} when the writer
 * starts: per table its columns, which of them are generated (virtual or stored), its primary key
 * and its unique secondary indexes.
 *
 * <p>Rules (module README, "Live schema"):
 *
 * <ol>
 *   <li>Generated columns and columns the session maps but MySQL lacks are never written ({@link
 *       #writable}).
 *   <li>A table MySQL has with a unique secondary index is treated as one, whatever the session
 *       says.
 *   <li>Every difference between the session and the live schema is reported once per table ({@link
 *       #mismatches}), at start and by {@code rr preflight}, not discovered change by change.
 * </ol>
 *
 * Table and column names compare case-insensitively, as MySQL's do on the platforms it is deployed
 * on.
 */
public final class LiveSchema implements Serializable {
  private final Map<String, LiveTable> tables;

  /**
   * Whether a column is written, by table and column name exactly as rows carry them: rows of one
   * table carry the session's same name strings, so the per-row check is a hash lookup instead of a
   * case-insensitive scan of the table's columns. Rebuilt lazily after deserialisation.
   */
  private transient volatile Map<String, Map<String, Boolean>> writes;

  /**
   * One table: column names in ordinal order, the generated ones, and each unique secondary index's
   * columns.
   */
  public record LiveTable(
      String name,
      List<String> columns,
      Set<String> generated,
      Map<String, List<String>> uniqueIndexes)
      implements Serializable {
    public LiveTable {
      columns = List.copyOf(columns);
      generated = Collections.unmodifiableSet(new LinkedHashSet<>(generated));
      uniqueIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(uniqueIndexes));
    }

    boolean has(String column) {
      return columns.stream().anyMatch(c -> c.equalsIgnoreCase(column));
    }

    boolean isGenerated(String column) {
      return generated.stream().anyMatch(c -> c.equalsIgnoreCase(column));
    }

    boolean writes(String column) {
      return has(column) && !isGenerated(column);
    }
  }

  private LiveSchema(Map<String, LiveTable> tables) {
    this.tables = Collections.unmodifiableMap(tables);
  }

  /** Reads the schema of the connection's current database. */
  public static LiveSchema read(Connection c) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, Set<String>> generated = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT TABLE_NAME, COLUMN_NAME, EXTRA, GENERATION_EXPRESSION"
                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String table = rs.getString(1);
        String key = table.toLowerCase(Locale.ROOT);
        names.putIfAbsent(key, table);
        columns.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(2));
        String extra = rs.getString(3) == null ? "" : rs.getString(3).toUpperCase(Locale.ROOT);
        String expression = rs.getString(4);
        if (extra.contains("GENERATED") || (expression != null && !expression.isBlank())) {
          generated.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(rs.getString(2));
        }
      }
    }
    Map<String, Map<String, List<String>>> unique = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM"
                    + " information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 0"
                    + " AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        unique
            .computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
            .add(rs.getString(3));
      }
    }
    Map<String, LiveTable> tables = new LinkedHashMap<>();
    for (var e : columns.entrySet()) {
      String key = e.getKey();
      tables.put(
          key,
          new LiveTable(
              names.get(key),
              e.getValue(),
              generated.getOrDefault(key, Set.of()),
              unique.getOrDefault(key, Map.of())));
    }
    return new LiveSchema(tables);
  }

  /** A schema that knows no table: nothing is filtered (used before the shard could be read). */
  public static LiveSchema unknown() {
    return new LiveSchema(Map.of());
  }

  public Optional<LiveTable> table(String name) {
    return Optional.ofNullable(tables.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Rule 2: true when MySQL has a unique secondary index on the table. */
  public boolean hasUniqueSecondaryIndex(String table) {
    return table(table).map(t -> !t.uniqueIndexes().isEmpty()).orElse(false);
  }

  /**
   * Rule 1: the row without its generated columns and without columns MySQL lacks. Deletes are
   * unchanged (their key columns identify the row); an unknown table is unchanged (the statement
   * reports it).
   */
  public RowChange writable(RowChange row) {
    Optional<LiveTable> t = table(row.sourceTable());
    if (t.isEmpty() || row.kind().isDelete()) {
      return row;
    }
    LiveTable table = t.get();
    Map<String, Boolean> known = writesOf(row.sourceTable());
    boolean all = true;
    for (String c : row.columns()) {
      all &= known.computeIfAbsent(c, table::writes);
    }
    if (all) {
      return row;
    }
    List<String> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.columns().size(); i++) {
      if (table.writes(row.columns().get(i))) {
        columns.add(row.columns().get(i));
        values.add(row.values().get(i));
      }
    }
    List<String> keys = new ArrayList<>();
    List<Object> keyValues = new ArrayList<>();
    for (int i = 0; i < row.keyColumns().size(); i++) {
      if (table.writes(row.keyColumns().get(i))) {
        keys.add(row.keyColumns().get(i));
        keyValues.add(row.keyValues().get(i));
      }
    }
    return new RowChange(row.sourceTable(), row.kind(), columns, values, keys, keyValues);
  }

  private Map<String, Boolean> writesOf(String table) {
    Map<String, Map<String, Boolean>> w = writes;
    if (w == null) {
      w = new ConcurrentHashMap<>();
      writes = w;
    }
    return w.computeIfAbsent(table, k -> new ConcurrentHashMap<>());
  }

  /** Rule 3: one line per table whose session mapping differs from MySQL, in session order. */
  public List<String> mismatches(SessionMapping session) {
    List<String> out = new ArrayList<>();
    for (TableMapping m : session.tables()) {
      Optional<LiveTable> t = table(m.sourceTable());
      if (t.isEmpty()) {
        out.add(
            "table "
                + m.sourceTable()
                + ": in the session file but not in MySQL; its changes fail");
        continue;
      }
      List<String> parts = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> generatedMapped = new ArrayList<>();
      for (ColumnMapping c : m.replicatedColumns()) {
        if (!t.get().has(c.sourceColumn())) {
          missing.add(c.sourceColumn());
        } else if (t.get().isGenerated(c.sourceColumn())) {
          generatedMapped.add(c.sourceColumn());
        }
      }
      if (!missing.isEmpty()) {
        parts.add("columns " + missing + " are mapped but MySQL lacks them (never written)");
      }
      if (!generatedMapped.isEmpty()) {
        parts.add("columns " + generatedMapped + " are generated in MySQL (never written)");
      }
      if (!m.hasUniqueSecondaryIndex() && !t.get().uniqueIndexes().isEmpty()) {
        parts.add(
            "MySQL has unique secondary indexes "
                + t.get().uniqueIndexes().keySet()
                + " the session does not list (applied as a unique-index table; route it to partition 0 by listing"
                + " the index in the session file)");
      }
      if (!parts.isEmpty()) {
        out.add("table " + m.sourceTable() + ": " + String.join("; ", parts));
      }
    }
    return out;
  }
}
