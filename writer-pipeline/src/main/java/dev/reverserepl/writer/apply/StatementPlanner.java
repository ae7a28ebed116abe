package dev.reverserepl.writer.apply;

import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.common.translate.RowChange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns the ordered row changes of one transaction into few multi-row statements without changing
 * their effect.
 *
 * <p>Rules (the apply session runs with {@code foreign_key_checks=0}, see the module README):
 *
 * <ol>
 *   <li>A change to a key never passes an earlier change to the same key: per table there is at
 *       most one open upsert group and one open delete group, their key sets are disjoint, and a
 *       change whose key is in the other group first emits that group.
 *   <li>Rows inside one multi-row statement are applied by MySQL in the order given, so a later
 *       image of a key in the same upsert group may replace the earlier one in place (same effect,
 *       one row less).
 *   <li>Tables with a unique secondary index keep strict statement order: one open group, any
 *       change of kind emits it, and no row is replaced in place, because a unique value can move
 *       between keys. Their upserts are guarded ({@link MySqlDialect#guardedUpsert}): a unique
 *       value held by a row with another primary key fails the statement instead of updating that
 *       row.
 *   <li>Changes to different tables may be reordered: with foreign-key checks off nothing else
 *       relates them.
 *   <li>{@link #planFinalImages}: for a batch whose unique values move between its own rows (a swap
 *       inside one Spanner transaction, which no order of single-row statements can apply), the
 *       unique-index tables' rows are written as their final images: every touched key is deleted
 *       first, then the last image of each key that still exists is inserted (guarded). Other
 *       tables are planned as usual.
 *   <li>Outside rule 3, a delete takes its key out of the table's open upsert group instead of
 *       emitting it: an upsert followed by a delete of the same key leaves the same rows as the
 *       delete alone (the upsert touches no other row, as foreign-key checks are off), so the
 *       groups stay open and the statements few.
 * </ol>
 */
public final class StatementPlanner {
  private final MySqlDialect dialect;
  private final int maxRowsPerStatement;

  public StatementPlanner(MySqlDialect dialect, int maxRowsPerStatement) {
    this.dialect = dialect;
    this.maxRowsPerStatement = maxRowsPerStatement;
  }

  /** {@code strictOrder} says, by source table, whether rule 3 applies. */
  public List<SqlStatement> plan(List<RowChange> rows, Predicate<String> strictOrder) {
    return plan(rows, strictOrder, strictOrder);
  }

  private List<SqlStatement> plan(
      List<RowChange> rows, Predicate<String> strictOrder, Predicate<String> guard) {
    List<SqlStatement> out = new ArrayList<>();
    Map<String, TableGroups> open = new LinkedHashMap<>();
    for (RowChange r : rows) {
      TableGroups t =
          open.computeIfAbsent(
              r.sourceTable(), k -> new TableGroups(strictOrder.test(k), guard.test(k)));
      t.add(r, out);
    }
    for (TableGroups t : open.values()) {
      t.flushAll(out);
    }
    return out;
  }

  /** Rule 5: the batch's final image per key for unique-index tables, deletes first. */
  public List<SqlStatement> planFinalImages(List<RowChange> rows, Predicate<String> uniqueIndex) {
    List<RowChange> others = new ArrayList<>();
    Map<String, Map<List<Object>, RowChange>> finals = new LinkedHashMap<>();
    for (RowChange r : rows) {
      if (uniqueIndex.test(r.sourceTable())) {
        finals
            .computeIfAbsent(r.sourceTable(), k -> new LinkedHashMap<>())
            .put(normalise(r.keyValues()), r);
      } else {
        others.add(r);
      }
    }
    List<RowChange> deletes = new ArrayList<>();
    List<RowChange> images = new ArrayList<>();
    for (Map<List<Object>, RowChange> table : finals.values()) {
      for (RowChange r : table.values()) {
        deletes.add(
            new RowChange(
                r.sourceTable(),
                dev.reverserepl.common.change.ModKind.DELETE,
                List.of(),
                List.of(),
                r.keyColumns(),
                r.keyValues()));
        if (!r.kind().isDelete()) {
          images.add(r);
        }
      }
    }
    // Every delete statement runs before the first insert (planned apart, so a full delete group
    // cannot let an
    // insert pass a later delete); the inserts stay guarded against rows the batch does not touch.
    List<SqlStatement> out = plan(deletes, t -> false, t -> true);
    out.addAll(plan(images, t -> false, t -> true));
    out.addAll(plan(others, uniqueIndex));
    return out;
  }

  private final class TableGroups {
    private final boolean strict;
    private final boolean guarded;
    private Group upserts;
    private Group deletes;

    TableGroups(boolean strict, boolean guarded) {
      this.strict = strict;
      this.guarded = guarded;
    }

    void add(RowChange r, List<SqlStatement> out) {
      boolean delete = r.kind().isDelete();
      List<Object> key = normalise(r.keyValues());
      Group same = delete ? deletes : upserts;
      Group other = delete ? upserts : deletes;
      if (delete && !strict && other != null && other.contains(key)) {
        // Rule 6: the delete supersedes the open upsert of its key.
        other.remove(key);
      } else if (other != null && (strict || other.contains(key))) {
        other.emit(out);
        if (delete) {
          upserts = null;
        } else {
          deletes = null;
        }
      }
      if (same != null && !same.accepts(r)) {
        same.emit(out);
        same = null;
      }
      if (same == null) {
        same = new Group(r, !strict && !delete, guarded);
        if (delete) {
          deletes = same;
        } else {
          upserts = same;
        }
      }
      same.add(key, r);
      if (same.full()) {
        same.emit(out);
        if (delete) {
          deletes = null;
        } else {
          upserts = null;
        }
      }
    }

    void flushAll(List<SqlStatement> out) {
      if (deletes != null) {
        deletes.emit(out);
      }
      if (upserts != null) {
        upserts.emit(out);
      }
    }
  }

  private final class Group {
    private final String table;
    private final boolean delete;
    private final List<String> columns;
    private final List<String> keyColumns;
    private final boolean replaceInPlace;
    private final boolean guarded;
    private final List<List<Object>> rows = new ArrayList<>();
    private final Map<List<Object>, Integer> index = new HashMap<>();
    private final int limit;
    private int removed;

    Group(RowChange first, boolean replaceInPlace, boolean guarded) {
      this.guarded = guarded;
      this.table = first.sourceTable();
      this.delete = first.kind().isDelete();
      this.columns = first.columns();
      this.keyColumns = first.keyColumns();
      this.replaceInPlace = replaceInPlace;
      int width = Math.max(1, delete ? keyColumns.size() : columns.size());
      this.limit = Math.max(1, Math.min(maxRowsPerStatement, ApplySettings.MAX_PARAMETERS / width));
    }

    boolean accepts(RowChange r) {
      return r.keyColumns().equals(keyColumns) && (delete || r.columns().equals(columns));
    }

    boolean contains(List<Object> key) {
      return index.containsKey(key);
    }

    void add(List<Object> key, RowChange r) {
      List<Object> row = delete ? r.keyValues() : r.values();
      Integer at = index.get(key);
      if (at != null && (delete || replaceInPlace)) {
        rows.set(at, row);
        return;
      }
      index.put(key, rows.size());
      rows.add(row);
    }

    void remove(List<Object> key) {
      Integer at = index.remove(key);
      if (at != null) {
        rows.set(at, null);
        removed++;
      }
    }

    boolean full() {
      return rows.size() >= limit;
    }

    void emit(List<SqlStatement> out) {
      List<List<Object>> rows = live();
      if (!rows.isEmpty()) {
        out.add(
            delete
                ? dialect.delete(table, keyColumns, rows)
                : guarded
                    ? dialect.guardedUpsert(table, columns, keyColumns, rows)
                    : dialect.upsert(table, columns, keyColumns, rows));
      }
      this.rows.clear();
      index.clear();
      removed = 0;
    }

    private List<List<Object>> live() {
      if (removed == 0) {
        return rows;
      }
      List<List<Object>> out = new ArrayList<>(rows.size() - removed);
      for (List<Object> row : rows) {
        if (row != null) {
          out.add(row);
        }
      }
      return out;
    }
  }

  // byte[] has identity equality; wrap it so equal keys are recognised.
  private static List<Object> normalise(List<Object> key) {
    boolean bytes = false;
    for (Object o : key) {
      bytes |= o instanceof byte[];
    }
    if (!bytes) {
      return key;
    }
    List<Object> out = new ArrayList<>(key.size());
    for (Object o : key) {
      out.add(o instanceof byte[] b ? ByteBuffer.wrap(b) : o);
    }
    return out;
  }
}
