package dev.reverserepl.common.changes;

import com.google.cloud.Timestamp;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.reverserepl.common.config.ConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ChangeStreamRecordMetadata;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;

/**
 * Builds a {@link DataChangeRecord} from its Gson JSON through the model's public constructor,
 * checking every field the pipelines rely on. A problem is a {@link ConfigException} naming the
 * file, the location and the field.
 */
final class DataChangeRecordJson {
  private final String source;
  private final String location;

  DataChangeRecordJson(String source, String location) {
    this.source = source;
    this.location = location;
  }

  DataChangeRecord parse(String json) {
    JsonElement e;
    try {
      e = JsonParser.parseString(json);
    } catch (JsonParseException ex) {
      throw error("", "invalid JSON: " + rootMessage(ex));
    }
    if (!e.isJsonObject()) {
      throw error("", "expected a JSON object");
    }
    return fromObject(e.getAsJsonObject());
  }

  DataChangeRecord fromObject(JsonObject o) {
    Timestamp commit = timestamp(o, "commitTimestamp", true);
    String txId = requiredString(o, "serverTransactionId");
    String seq = requiredString(o, "recordSequence");
    try {
      Long.parseLong(seq);
    } catch (NumberFormatException ex) {
      throw error("recordSequence", "not a decimal number: '" + seq + "'");
    }
    String table = requiredString(o, "tableName");
    List<Mod> mods = mods(o);
    ModType modType = modType(o);
    ValueCaptureType capture = captureType(o);
    return new DataChangeRecord(
        optionalString(o, "partitionToken"),
        commit,
        txId,
        bool(o, "isLastRecordInTransactionInPartition"),
        seq,
        table,
        rowType(o),
        mods,
        modType,
        capture,
        number(o, "numberOfRecordsInTransaction", 1),
        number(o, "numberOfPartitionsInTransaction", 1),
        optionalString(o, "transactionTag") == null ? "" : optionalString(o, "transactionTag"),
        bool(o, "isSystemTransaction"),
        metadata(o));
  }

  private List<Mod> mods(JsonObject o) {
    JsonElement m = o.get("mods");
    List<JsonElement> items = new ArrayList<>();
    String field = "mods";
    if (m == null || m.isJsonNull()) {
      // The pretty-printed buffer form of the old reverse-replication templates uses a single "mod"
      // object.
      JsonElement single = o.get("mod");
      if (single == null || single.isJsonNull()) {
        throw error("mods", "missing");
      }
      field = "mod";
      items.add(single);
    } else if (!m.isJsonArray()) {
      throw error("mods", "must be an array");
    } else {
      m.getAsJsonArray().forEach(items::add);
    }
    if (items.isEmpty()) {
      throw error("mods", "empty: a data change record has at least one mod");
    }
    List<Mod> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String f = field.equals("mod") ? "mod" : "mods[" + i + "]";
      if (!items.get(i).isJsonObject()) {
        throw error(f, "must be an object");
      }
      JsonObject mod = items.get(i).getAsJsonObject();
      String keys = jsonText(mod, "keysJson", f, true);
      out.add(
          new Mod(
              keys,
              jsonText(mod, "oldValuesJson", f, false),
              jsonText(mod, "newValuesJson", f, false)));
    }
    return out;
  }

  /**
   * A field holding JSON text; it must parse as an object so that later stages never meet broken
   * JSON.
   */
  private String jsonText(JsonObject mod, String name, String modField, boolean required) {
    JsonElement v = mod.get(name);
    String field = modField + "." + name;
    if (v == null || v.isJsonNull()) {
      if (required) {
        throw error(field, "missing");
      }
      return null;
    }
    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw error(field, "must be a string holding a JSON object");
    }
    String text = v.getAsString();
    if (text.isEmpty() && !required) {
      return text;
    }
    try {
      if (!holdsObject(text)) {
        throw error(field, "must hold a JSON object");
      }
    } catch (JsonParseException | IOException ex) {
      throw error(field, "holds invalid JSON: " + rootMessage(ex));
    }
    return text;
  }

  /**
   * Whether the text is one JSON object, read as {@link JsonParser#parseString} reads (leniently,
   * the whole text) but without building its tree: every record's keys and values pass here once
   * before they are parsed for real.
   */
  private static boolean holdsObject(String text) throws IOException {
    JsonReader r = new JsonReader(new StringReader(text));
    r.setStrictness(Strictness.LENIENT);
    if (text.isBlank() || r.peek() != JsonToken.BEGIN_OBJECT) {
      return false;
    }
    r.skipValue();
    if (r.peek() != JsonToken.END_DOCUMENT) {
      throw new JsonSyntaxException("Did not consume the entire document.");
    }
    return true;
  }

  private ModType modType(JsonObject o) {
    String s = requiredString(o, "modType");
    try {
      ModType t = ModType.valueOf(s);
      if (t == ModType.UNKNOWN) {
        throw new IllegalArgumentException();
      }
      return t;
    } catch (IllegalArgumentException ex) {
      throw error("modType", "must be INSERT, UPDATE or DELETE, got '" + s + "'");
    }
  }

  private ValueCaptureType captureType(JsonObject o) {
    String s = optionalString(o, "valueCaptureType");
    if (s == null) {
      return ValueCaptureType.UNKNOWN;
    }
    try {
      return ValueCaptureType.valueOf(s);
    } catch (IllegalArgumentException ex) {
      throw error("valueCaptureType", "unknown value '" + s + "'");
    }
  }

  private List<ColumnType> rowType(JsonObject o) {
    JsonElement r = o.get("rowType");
    List<ColumnType> out = new ArrayList<>();
    if (r == null || r.isJsonNull()) {
      return out;
    }
    if (!r.isJsonArray()) {
      throw error("rowType", "must be an array");
    }
    JsonArray a = r.getAsJsonArray();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).isJsonObject()) {
        throw error("rowType[" + i + "]", "must be an object");
      }
      JsonObject c = a.get(i).getAsJsonObject();
      JsonElement type = c.get("type");
      String code =
          type != null && type.isJsonObject() && type.getAsJsonObject().has("code")
              ? type.getAsJsonObject().get("code").getAsString()
              : null;
      out.add(
          new ColumnType(
              optionalString(c, "name"),
              code == null ? null : new TypeCode(code),
              bool(c, "isPrimaryKey"),
              number(c, "ordinalPosition", 0)));
    }
    return out;
  }

  private ChangeStreamRecordMetadata metadata(JsonObject o) {
    JsonElement m = o.get("metadata");
    if (m == null || m.isJsonNull()) {
      return null;
    }
    if (!m.isJsonObject()) {
      throw error("metadata", "must be an object");
    }
    JsonObject md = m.getAsJsonObject();
    return ChangeStreamRecordMetadata.newBuilder()
        .withPartitionToken(optionalString(md, "partitionToken"))
        .withRecordTimestamp(timestamp(md, "recordTimestamp", false))
        .withPartitionStartTimestamp(timestamp(md, "partitionStartTimestamp", false))
        .withPartitionEndTimestamp(timestamp(md, "partitionEndTimestamp", false))
        .withPartitionCreatedAt(timestamp(md, "partitionCreatedAt", false))
        .withPartitionScheduledAt(timestamp(md, "partitionScheduledAt", false))
        .withPartitionRunningAt(timestamp(md, "partitionRunningAt", false))
        .withQueryStartedAt(timestamp(md, "queryStartedAt", false))
        .withRecordStreamStartedAt(timestamp(md, "recordStreamStartedAt", false))
        .withRecordStreamEndedAt(timestamp(md, "recordStreamEndedAt", false))
        .withRecordReadAt(timestamp(md, "recordReadAt", false))
        .withTotalStreamTimeMillis(number(md, "totalStreamTimeMillis", 0))
        .withNumberOfRecordsRead(number(md, "numberOfRecordsRead", 0))
        .build();
  }

  private Timestamp timestamp(JsonObject o, String name, boolean required) {
    JsonElement t = o.get(name);
    if (t == null || t.isJsonNull()) {
      if (required) {
        throw error(name, "missing");
      }
      return null;
    }
    if (!t.isJsonObject()) {
      throw error(name, "must be an object {\"seconds\": .., \"nanos\": ..}");
    }
    JsonObject ts = t.getAsJsonObject();
    long seconds = wholeNumber(ts.get("seconds"), name + ".seconds", true);
    long nanos = wholeNumber(ts.get("nanos"), name + ".nanos", false);
    if (nanos < 0 || nanos > 999_999_999L) {
      throw error(name + ".nanos", "must be 0..999999999, got " + nanos);
    }
    try {
      return Timestamp.ofTimeSecondsAndNanos(seconds, (int) nanos);
    } catch (IllegalArgumentException ex) {
      throw error(name, "out of range: " + ex.getMessage());
    }
  }

  private long number(JsonObject o, String name, long absent) {
    JsonElement v = o.get(name);
    return v == null || v.isJsonNull() ? absent : wholeNumber(v, name, true);
  }

  private long wholeNumber(JsonElement v, String field, boolean required) {
    if (v == null || v.isJsonNull()) {
      if (required) {
        throw error(field, "missing");
      }
      return 0;
    }
    if (!v.isJsonPrimitive()) {
      throw error(field, "must be a whole number");
    }
    try {
      return Long.parseLong(v.getAsString());
    } catch (NumberFormatException ex) {
      throw error(field, "must be a whole number, got '" + v.getAsString() + "'");
    }
  }

  private boolean bool(JsonObject o, String name) {
    JsonElement v = o.get(name);
    if (v == null || v.isJsonNull()) {
      return false;
    }
    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
      throw error(name, "must be true or false");
    }
    return v.getAsBoolean();
  }

  private String requiredString(JsonObject o, String name) {
    String s = optionalString(o, name);
    if (s == null || s.isEmpty()) {
      throw error(name, "missing or empty");
    }
    return s;
  }

  private String optionalString(JsonObject o, String name) {
    JsonElement v = o.get(name);
    if (v == null || v.isJsonNull()) {
      return null;
    }
    if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString()) {
      throw error(name, "must be a string");
    }
    return v.getAsString();
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    // Gson appends a troubleshooting link on a second line; one line reads better in logs.
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private ConfigException error(String field, String problem) {
    return new ConfigException(source, location, field, problem);
  }
}
