package dev.reverserepl.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.ByteArray;
import com.google.cloud.Date;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;

/**
 * Replays generated change records as real Spanner transactions: the records of one transaction
 * (same commit timestamp and server transaction id, consecutive in the file) become one read-write
 * transaction of mutations — {@code insertOrUpdate} with keys and new values for inserts and
 * updates, {@code delete} by key for deletes — committed with the records' transaction tag, so the
 * forward-migration filter sees what production would show it. Values are typed by each record's
 * row type, which carries the Spanner column types.
 *
 * <p>The Spanner emulator's change stream drops the fractional seconds of TIMESTAMP values (Spanner
 * keeps microseconds); {@link #wholeSecondTimestamps} writes non-key timestamps in whole seconds,
 * so that the database holds exactly what its change stream can carry.
 */
public final class SpannerWorkloadWriter {
  /** What was committed; commit timestamps are Spanner's, not the file's. */
  public record Written(
      long transactions,
      long mutations,
      long taggedTransactions,
      Timestamp firstCommit,
      Timestamp lastCommit) {}

  private final DatabaseClient db;
  private final boolean wholeSeconds;

  private SpannerWorkloadWriter(DatabaseClient db, boolean wholeSeconds) {
    this.db = db;
    this.wholeSeconds = wholeSeconds;
  }

  public static SpannerWorkloadWriter to(DatabaseClient db) {
    return new SpannerWorkloadWriter(db, false);
  }

  /** The same writer, truncating non-key TIMESTAMP values to whole seconds (for the emulator). */
  public SpannerWorkloadWriter wholeSecondTimestamps() {
    return new SpannerWorkloadWriter(db, true);
  }

  public Written write(String changesPath) {
    long transactions = 0;
    long mutations = 0;
    long tagged = 0;
    Timestamp first = null;
    Timestamp last = null;
    try (ChangeRecordReader reader = ChangeRecordReader.open(changesPath)) {
      List<Mutation> batch = new ArrayList<>();
      DataChangeRecord open = null;
      while (true) {
        DataChangeRecord r = reader.hasNext() ? reader.next() : null;
        if (open != null && (r == null || !sameTransaction(open, r))) {
          Timestamp commit = commit(batch, open.getTransactionTag());
          first = first == null ? commit : first;
          last = commit;
          transactions++;
          mutations += batch.size();
          tagged += open.getTransactionTag() == null || open.getTransactionTag().isEmpty() ? 0 : 1;
          batch = new ArrayList<>();
        }
        if (r == null) {
          break;
        }
        open = r;
        Where where = new Where(reader.currentFile(), "line " + reader.lineNumber());
        for (Mod m : r.getMods()) {
          batch.add(mutation(r, m, where, wholeSeconds));
        }
      }
    }
    return new Written(transactions, mutations, tagged, first, last);
  }

  private Timestamp commit(List<Mutation> batch, String tag) {
    if (tag == null || tag.isEmpty()) {
      return db.writeWithOptions(batch).getCommitTimestamp();
    }
    return db.writeWithOptions(batch, Options.tag(tag)).getCommitTimestamp();
  }

  private static boolean sameTransaction(DataChangeRecord a, DataChangeRecord b) {
    return a.getCommitTimestamp().equals(b.getCommitTimestamp())
        && a.getServerTransactionId().equals(b.getServerTransactionId());
  }

  static Mutation mutation(DataChangeRecord r, Mod m, Where where, boolean wholeSeconds) {
    List<ColumnType> columns = new ArrayList<>(r.getRowType());
    columns.sort(Comparator.comparingLong(ColumnType::getOrdinalPosition));
    JsonNode keys = parse(m.getKeysJson(), where, "keys");
    if (r.getModType() == ModType.DELETE) {
      Key.Builder key = Key.newBuilder();
      for (ColumnType c : columns) {
        if (c.isPrimaryKey()) {
          key.appendObject(
              keyPart(
                  SpannerColumnType.of(c, where, false),
                  keys.get(c.getName()),
                  r.getTableName(),
                  where));
        }
      }
      return Mutation.delete(r.getTableName(), key.build());
    }
    JsonNode values = parse(m.getNewValuesJson(), where, "newValues");
    Mutation.WriteBuilder row = Mutation.newInsertOrUpdateBuilder(r.getTableName());
    for (ColumnType c : columns) {
      JsonNode v = c.isPrimaryKey() ? keys.get(c.getName()) : values.get(c.getName());
      if (v == null) {
        continue;
      }
      row.set(c.getName())
          .to(
              SpannerColumnType.of(c, where, wholeSeconds && !c.isPrimaryKey())
                  .value(v, r.getTableName(), where));
    }
    return row.build();
  }

  private static Object keyPart(SpannerColumnType type, JsonNode v, String table, Where where) {
    if (v == null || v.isNull()) {
      return null;
    }
    Value value = type.value(v, table, where);
    return switch (type.code()) {
      case "INT64" -> value.getInt64();
      case "FLOAT64" -> value.getFloat64();
      case "FLOAT32" -> value.getFloat32();
      case "BOOL" -> value.getBool();
      case "NUMERIC" -> value.getNumeric();
      case "BYTES" -> value.getBytes();
      case "DATE" -> value.getDate();
      case "TIMESTAMP" -> value.getTimestamp();
      case "STRING" -> value.getString();
      default ->
          throw new ConfigException(
              where.file(),
              where.location(),
              table + "." + type.column(),
              "a " + type.code() + " column cannot be part of a key");
    };
  }

  private static JsonNode parse(String json, Where where, String field) {
    try {
      return Json.parse(json == null || json.isEmpty() ? "{}" : json);
    } catch (Exception e) {
      throw new ConfigException(
          where.file(), where.location(), field, "not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Where a record came from, for error messages. */
  record Where(String file, String location) {}

  /**
   * One Spanner column type from a row type's type code ({@code
   * {"code":"ARRAY","array_element_type":{...}}}).
   */
  record SpannerColumnType(String code, boolean array, String column, boolean wholeSeconds) {
    static SpannerColumnType of(ColumnType c, Where where, boolean wholeSeconds) {
      JsonNode t = parse(c.getType().getCode(), where, "rowType." + c.getName());
      String code = t.path("code").asText();
      if (code.equals("ARRAY")) {
        return new SpannerColumnType(
            t.path("array_element_type").path("code").asText(), true, c.getName(), wholeSeconds);
      }
      return new SpannerColumnType(code, false, c.getName(), wholeSeconds);
    }

    Value value(JsonNode v, String table, Where where) {
      try {
        return array ? arrayValue(v) : scalar(v);
      } catch (RuntimeException e) {
        throw new ConfigException(
            where.file(),
            where.location(),
            table + "." + column,
            "value "
                + v
                + " is not a valid "
                + (array ? "ARRAY<" + code + ">" : code)
                + ": "
                + e.getMessage(),
            e);
      }
    }

    private Value scalar(JsonNode v) {
      boolean n = v.isNull();
      return switch (code) {
        case "INT64" ->
            Value.int64(n ? null : v.isNumber() ? v.longValue() : Long.parseLong(v.asText()));
        case "FLOAT64" ->
            Value.float64(
                n ? null : v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText()));
        case "FLOAT32" ->
            Value.float32(n ? null : v.isNumber() ? v.floatValue() : Float.parseFloat(v.asText()));
        case "BOOL" ->
            Value.bool(
                n ? null : v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText()));
        case "NUMERIC" -> Value.numeric(n ? null : new BigDecimal(v.asText()));
        case "STRING" -> Value.string(n ? null : v.asText());
        case "BYTES" -> Value.bytes(n ? null : ByteArray.fromBase64(v.asText()));
        case "DATE" -> Value.date(n ? null : Date.parseDate(v.asText()));
        case "TIMESTAMP" -> Value.timestamp(n ? null : timestamp(v.asText()));
        case "JSON" -> Value.json(n ? null : v.isTextual() ? v.asText() : v.toString());
        default -> throw new IllegalArgumentException("unsupported Spanner type " + code);
      };
    }

    private Timestamp timestamp(String text) {
      Timestamp t = Timestamp.parseTimestamp(text);
      return wholeSeconds ? Timestamp.ofTimeSecondsAndNanos(t.getSeconds(), 0) : t;
    }

    private Value arrayValue(JsonNode v) {
      if (v.isNull()) {
        return scalarArray(null);
      }
      List<JsonNode> items = new ArrayList<>();
      for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
        items.add(it.next());
      }
      return scalarArray(items);
    }

    private Value scalarArray(List<JsonNode> items) {
      SpannerColumnType element = new SpannerColumnType(code, false, column, wholeSeconds);
      List<Value> values = items == null ? null : items.stream().map(element::scalar).toList();
      return switch (code) {
        case "INT64" ->
            Value.int64Array(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getInt64()).toList());
        case "FLOAT64" ->
            Value.float64Array(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getFloat64()).toList());
        case "BOOL" ->
            Value.boolArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getBool()).toList());
        case "NUMERIC" ->
            Value.numericArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getNumeric()).toList());
        case "STRING" ->
            Value.stringArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getString()).toList());
        case "BYTES" ->
            Value.bytesArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getBytes()).toList());
        case "DATE" ->
            Value.dateArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getDate()).toList());
        case "TIMESTAMP" ->
            Value.timestampArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getTimestamp()).toList());
        case "JSON" ->
            Value.jsonArray(
                values == null
                    ? null
                    : values.stream().map(x -> x.isNull() ? null : x.getJson()).toList());
        default ->
            throw new IllegalArgumentException("unsupported Spanner array element type " + code);
      };
    }
  }
}
