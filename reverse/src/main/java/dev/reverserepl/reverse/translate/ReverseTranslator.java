package dev.reverserepl.reverse.translate;

import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.reverse.binlog.RowEvent;
import dev.reverserepl.reverse.binlog.SourceTable;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The session file read the other way: a source row change becomes Spanner mutations. Rules:
 *
 * <ol>
 *   <li>Source tables map to Spanner tables and source columns to Spanner columns through the
 *       session's column ids ({@link TableMapping#columns()}); Spanner-only columns are left alone,
 *       except the shard-id column, which is set to the shard's {@code logicalShardId}.
 *   <li>INSERT and UPDATE become {@code insertOrUpdate} of every mapped column (re-applying is
 *       harmless); an UPDATE that changes the Spanner key becomes {@code delete} of the old key,
 *       then {@code insertOrUpdate} of the new. DELETE becomes {@code delete} by the Spanner key.
 *   <li>A Spanner key column with no source column (a synthetic key) or a value that does not
 *       convert makes the row a {@link RowFailure}: it is dead-lettered, never guessed.
 * </ol>
 */
public final class ReverseTranslator {
  private final Map<String, TableMapping> bySource = new HashMap<>();
  private final String shardId;
  private final SpannerValueMapper values;

  public ReverseTranslator(SessionMapping session, String shardId, ZoneOffset sourceOffset) {
    for (TableMapping t : session.tables()) {
      bySource.put(t.sourceTable().toLowerCase(Locale.ROOT), t);
    }
    this.shardId = shardId;
    this.values = new SpannerValueMapper(sourceOffset);
  }

  /** Source table names the binlog reader should keep. */
  public Set<String> sourceTables() {
    return bySource.values().stream().map(TableMapping::sourceTable).collect(Collectors.toSet());
  }

  public List<Mutation> translate(RowEvent row) throws RowFailure {
    TableMapping t = bySource.get(row.table().name().toLowerCase(Locale.ROOT));
    if (t == null) {
      throw new RowFailure("table " + row.table().name() + " is not in the session file");
    }
    List<Mutation> out = new ArrayList<>();
    switch (row.kind()) {
      case INSERT -> out.add(upsert(t, values(t, row.table(), row.after())));
      case DELETE ->
          out.add(Mutation.delete(t.spannerTable(), key(t, values(t, row.table(), row.before()))));
      case UPDATE -> {
        Map<String, Value> before = values(t, row.table(), row.before());
        Map<String, Value> after = values(t, row.table(), row.after());
        Key oldKey = key(t, before);
        Key newKey = key(t, after);
        if (!oldKey.equals(newKey)) {
          out.add(Mutation.delete(t.spannerTable(), oldKey));
        }
        out.add(upsert(t, after));
      }
      default -> throw new IllegalStateException(row.kind().name());
    }
    return out;
  }

  private Map<String, Value> values(TableMapping t, SourceTable src, Serializable[] image)
      throws RowFailure {
    Map<String, Value> out = new HashMap<>();
    for (int i = 0; i < src.columns().size(); i++) {
      SourceTable.Column col = src.columns().get(i);
      ColumnMapping c = t.sourceColumn(col.name()).orElse(null);
      if (c == null) {
        continue;
      }
      try {
        out.put(c.spannerColumn(), values.convert(c, SourceValue.decode(col, image[i])));
      } catch (RowFailure e) {
        throw new RowFailure(t.sourceTable() + "." + e.getMessage());
      }
    }
    if (t.shardIdColumn() != null) {
      out.put(t.shardIdColumn(), Value.string(shardId));
    }
    return out;
  }

  private static Mutation upsert(TableMapping t, Map<String, Value> values) {
    Mutation.WriteBuilder b = Mutation.newInsertOrUpdateBuilder(t.spannerTable());
    for (ColumnMapping c : t.columns()) {
      Value v = values.get(c.spannerColumn());
      if (v != null) {
        b.set(c.spannerColumn()).to(v);
      }
    }
    return b.build();
  }

  private static Key key(TableMapping t, Map<String, Value> values) throws RowFailure {
    Key.Builder k = Key.newBuilder();
    for (String col : t.spannerPrimaryKey()) {
      Value v = values.get(col);
      if (v == null) {
        throw new RowFailure(
            t.sourceTable()
                + ": Spanner key column "
                + t.spannerTable()
                + "."
                + col
                + " has no source column (a synthetic key); its rows cannot be written back");
      }
      appendKey(k, v);
    }
    return k.build();
  }

  private static void appendKey(Key.Builder k, Value v) {
    if (v.isNull()) {
      k.appendObject(null);
      return;
    }
    switch (v.getType().getCode()) {
      case INT64 -> k.append(v.getInt64());
      case STRING -> k.append(v.getString());
      case NUMERIC -> k.append(v.getNumeric());
      case FLOAT64 -> k.append(v.getFloat64());
      case BOOL -> k.append(v.getBool());
      case BYTES -> k.append(v.getBytes());
      case DATE -> k.append(v.getDate());
      case TIMESTAMP -> k.append(v.getTimestamp());
      default -> k.appendObject(v.toString());
    }
  }
}
