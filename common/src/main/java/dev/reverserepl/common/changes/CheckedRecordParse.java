package dev.reverserepl.common.changes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.google.cloud.Timestamp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;

/**
 * Reads a line that a full parse ({@link DataChangeRecordJson}) has already accepted once, token by
 * token and without building its tree: a replay reads every record twice, once to check it before
 * anything runs and once in the pipeline, and the second parse was the largest single cost of the
 * pipeline phase. Only the form the writer writes (and Google's template: plain strings, numbers
 * and booleans, {@code rowType} columns, no {@code metadata}) is read here; anything else gives
 * null and the caller parses the line in full. The JSON inside {@code mods} is not checked again.
 */
final class CheckedRecordParse {
  private static final JsonFactory STREAMS =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

  private CheckedRecordParse() {}

  /** Thrown inside the parse for any form this reader leaves to the full parse. */
  private static final class NotPlain extends Exception {
    NotPlain() {
      super(null, null, false, false);
    }
  }

  private static final NotPlain NOT_PLAIN = new NotPlain();

  /** The fields of one record as they are read. */
  private static final class Fields {
    String partitionToken;
    Timestamp commit;
    String txId;
    boolean last;
    String seq;
    String table;
    List<ColumnType> rowType = new ArrayList<>();
    List<Mod> mods;
    ModType modType;
    ValueCaptureType capture = ValueCaptureType.UNKNOWN;
    long records = 1;
    long partitions = 1;
    String tag;
    boolean system;
  }

  /** The record, or null when the line is not in the plain form. */
  static DataChangeRecord parse(byte[] utf8) {
    try (JsonParser p = STREAMS.createParser(utf8)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields f = new Fields();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        field(p, p.currentName(), f);
      }
      if (p.nextToken() != null || f.commit == null || f.mods == null || f.modType == null) {
        return null;
      }
      if (empty(f.txId) || empty(f.seq) || empty(f.table)) {
        return null;
      }
      Long.parseLong(f.seq);
      return new DataChangeRecord(
          f.partitionToken,
          f.commit,
          f.txId,
          f.last,
          f.seq,
          f.table,
          f.rowType,
          f.mods,
          f.modType,
          f.capture,
          f.records,
          f.partitions,
          f.tag == null ? "" : f.tag,
          f.system,
          null);
    } catch (IOException | NotPlain | IllegalArgumentException e) {
      // IllegalArgumentException covers NumberFormatException and bad enum names
      return null;
    }
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static void field(JsonParser p, String name, Fields f) throws IOException, NotPlain {
    JsonToken t = p.nextToken();
    switch (name) {
      case "partitionToken" -> f.partitionToken = string(p, t);
      case "commitTimestamp" -> f.commit = timestamp(p, t);
      case "serverTransactionId" -> f.txId = string(p, t);
      case "isLastRecordInTransactionInPartition" -> f.last = bool(t);
      case "recordSequence" -> f.seq = string(p, t);
      case "tableName" -> f.table = string(p, t);
      case "rowType" -> f.rowType = rowType(p, t);
      case "mods" -> f.mods = mods(p, t);
      case "modType" -> f.modType = modType(string(p, t));
      case "valueCaptureType" -> f.capture = capture(string(p, t));
      case "numberOfRecordsInTransaction" -> f.records = number(p, t, 1);
      case "numberOfPartitionsInTransaction" -> f.partitions = number(p, t, 1);
      case "transactionTag" -> f.tag = string(p, t);
      case "isSystemTransaction" -> f.system = bool(t);
      case "metadata" -> {
        if (t != JsonToken.VALUE_NULL) {
          throw NOT_PLAIN;
        }
      }
      case "mod" -> throw NOT_PLAIN;
      default -> p.skipChildren();
    }
  }

  private static String string(JsonParser p, JsonToken t) throws IOException, NotPlain {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw NOT_PLAIN;
    }
    return p.getText();
  }

  private static boolean bool(JsonToken t) throws NotPlain {
    return switch (t) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw NOT_PLAIN;
    };
  }

  private static long number(JsonParser p, JsonToken t, long absent) throws IOException, NotPlain {
    if (t == JsonToken.VALUE_NULL) {
      return absent;
    }
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw NOT_PLAIN;
    }
    return p.getLongValue();
  }

  private static Timestamp timestamp(JsonParser p, JsonToken t) throws IOException, NotPlain {
    if (t != JsonToken.START_OBJECT) {
      throw NOT_PLAIN;
    }
    Long seconds = null;
    long nanos = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("seconds")) {
        seconds = v == JsonToken.VALUE_NULL ? null : number(p, v, 0);
      } else if (name.equals("nanos")) {
        nanos = number(p, v, 0);
      } else {
        p.skipChildren();
      }
    }
    if (seconds == null || nanos < 0 || nanos > 999_999_999L) {
      throw NOT_PLAIN;
    }
    return Timestamp.ofTimeSecondsAndNanos(seconds, (int) nanos);
  }

  private static List<ColumnType> rowType(JsonParser p, JsonToken t) throws IOException, NotPlain {
    List<ColumnType> out = new ArrayList<>();
    if (t == JsonToken.VALUE_NULL) {
      return out;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NOT_PLAIN;
    }
    for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
      if (c != JsonToken.START_OBJECT) {
        throw NOT_PLAIN;
      }
      String name = null;
      String code = null;
      boolean key = false;
      long ordinal = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "name" -> name = string(p, v);
          case "type" -> code = typeCode(p, v);
          case "isPrimaryKey" -> key = bool(v);
          case "ordinalPosition" -> ordinal = number(p, v, 0);
          default -> p.skipChildren();
        }
      }
      out.add(new ColumnType(name, code == null ? null : new TypeCode(code), key, ordinal));
    }
    return out;
  }

  private static String typeCode(JsonParser p, JsonToken t) throws IOException, NotPlain {
    if (t != JsonToken.START_OBJECT) {
      throw NOT_PLAIN;
    }
    String code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("code")) {
        code = string(p, v);
      } else {
        p.skipChildren();
      }
    }
    return code;
  }

  private static List<Mod> mods(JsonParser p, JsonToken t) throws IOException, NotPlain {
    if (t != JsonToken.START_ARRAY) {
      throw NOT_PLAIN;
    }
    List<Mod> out = new ArrayList<>(2);
    for (JsonToken m = p.nextToken(); m != JsonToken.END_ARRAY; m = p.nextToken()) {
      if (m != JsonToken.START_OBJECT) {
        throw NOT_PLAIN;
      }
      String keys = null;
      String oldValues = null;
      String newValues = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "keysJson" -> keys = string(p, v);
          case "oldValuesJson" -> oldValues = string(p, v);
          case "newValuesJson" -> newValues = string(p, v);
          default -> p.skipChildren();
        }
      }
      if (empty(keys)) {
        throw NOT_PLAIN;
      }
      out.add(new Mod(keys, oldValues, newValues));
    }
    if (out.isEmpty()) {
      throw NOT_PLAIN;
    }
    return out;
  }

  private static ModType modType(String s) throws NotPlain {
    if (s == null) {
      throw NOT_PLAIN;
    }
    ModType t = ModType.valueOf(s);
    if (t == ModType.UNKNOWN) {
      throw NOT_PLAIN;
    }
    return t;
  }

  private static ValueCaptureType capture(String s) {
    return s == null ? ValueCaptureType.UNKNOWN : ValueCaptureType.valueOf(s);
  }
}
