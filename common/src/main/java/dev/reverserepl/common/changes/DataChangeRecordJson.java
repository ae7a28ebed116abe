package dev.reverserepl.common.changes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.cloud.Timestamp;
import dev.reverserepl.common.config.ConfigException;
import java.io.IOException;
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
 * Builds a {@link DataChangeRecord} from its JSON (as Gson writes it, {@link ChangeRecordGson})
 * through the model's public constructor, checking every field the pipelines rely on. A problem is
 * a {@link ConfigException} naming the file, the location and the field. Read with Jackson's
 * parser, which is about twice as fast on these lines as Gson's tree: every record of a replay is
 * parsed twice (the check before the run and the read), and the parse was a third of its CPU.
 */
final class DataChangeRecordJson {
  // Control characters raw inside strings are read as Gson reads them, not refused.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .build();
  private static final ObjectReader TREE = MAPPER.reader();
  private static final JsonFactory STREAMS = MAPPER.getFactory();

  private final String source;
  private final String location;

  DataChangeRecordJson(String source, String location) {
    this.source = source;
    this.location = location;
  }

  DataChangeRecord parse(String json) {
    JsonNode e;
    try {
      e = TREE.readTree(json);
    } catch (JsonProcessingException ex) {
      throw error("", "invalid JSON: " + rootMessage(ex));
    }
    if (e == null || !e.isObject()) {
      throw error("", "expected a JSON object");
    }
    return fromObject(e);
  }

  /**
   * The same parse from the line's UTF-8 bytes, which spares decoding the whole line, and for the
   * plain form token by token ({@link CheckedRecordParse}); a line the bytes do not parse is parsed
   * again as text, so that its error is the one {@link #parse(String)} gives (columns counted in
   * characters).
   */
  DataChangeRecord parse(byte[] utf8) {
    // the plain form token by token, then the checks that reader leaves out: the same record
    DataChangeRecord plain = CheckedRecordParse.parse(utf8);
    if (plain != null && modsHoldObjects(plain)) {
      return plain;
    }
    return parseTree(utf8);
  }

  /** {@link #parse(byte[])} through the tree only: for a line the token reader left alone. */
  DataChangeRecord parseTree(byte[] utf8) {
    JsonNode e;
    try {
      e = TREE.readTree(utf8);
    } catch (IOException ex) {
      return parse(new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (e == null || !e.isObject()) {
      throw error("", "expected a JSON object");
    }
    return fromObject(e);
  }

  DataChangeRecord fromObject(JsonNode o) {
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

  private List<Mod> mods(JsonNode o) {
    JsonNode m = o.get("mods");
    List<JsonNode> items = new ArrayList<>();
    String field = "mods";
    if (m == null || m.isNull()) {
      // The pretty-printed buffer form of the old reverse-replication templates uses a single "mod"
      // object.
      JsonNode single = o.get("mod");
      if (single == null || single.isNull()) {
        throw error("mods", "missing");
      }
      field = "mod";
      items.add(single);
    } else if (!m.isArray()) {
      throw error("mods", "must be an array");
    } else {
      m.forEach(items::add);
    }
    if (items.isEmpty()) {
      throw error("mods", "empty: a data change record has at least one mod");
    }
    List<Mod> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String f = field.equals("mod") ? "mod" : "mods[" + i + "]";
      if (!items.get(i).isObject()) {
        throw error(f, "must be an object");
      }
      JsonNode mod = items.get(i);
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
  private String jsonText(JsonNode mod, String name, String modField, boolean required) {
    JsonNode v = mod.get(name);
    String field = modField + "." + name;
    if (v == null || v.isNull()) {
      if (required) {
        throw error(field, "missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw error(field, "must be a string holding a JSON object");
    }
    String text = v.textValue();
    if (text.isEmpty() && !required) {
      return text;
    }
    try {
      if (!holdsObject(text)) {
        throw error(field, "must hold a JSON object");
      }
    } catch (IOException ex) {
      throw error(field, "holds invalid JSON: " + rootMessage(ex));
    }
    return text;
  }

  /** What {@link #jsonText} requires of each mod's three fields. */
  private static boolean modsHoldObjects(DataChangeRecord r) {
    try {
      for (Mod m : r.getMods()) {
        if (!holdsObject(m.getKeysJson())
            || !absentOrObject(m.getOldValuesJson())
            || !absentOrObject(m.getNewValuesJson())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean absentOrObject(String text) throws IOException {
    return text == null || text.isEmpty() || holdsObject(text);
  }

  /**
   * Whether the text is one JSON object and nothing after it, checked token by token without
   * building its tree: every record's keys and values pass here once before they are parsed for
   * real.
   */
  private static boolean holdsObject(String text) throws IOException {
    try (JsonParser p = STREAMS.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new JsonProcessingException(
            "unexpected content after the object", p.currentLocation()) {};
      }
      return true;
    }
  }

  private ModType modType(JsonNode o) {
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

  private ValueCaptureType captureType(JsonNode o) {
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

  private List<ColumnType> rowType(JsonNode o) {
    JsonNode r = o.get("rowType");
    List<ColumnType> out = new ArrayList<>();
    if (r == null || r.isNull()) {
      return out;
    }
    if (!r.isArray()) {
      throw error("rowType", "must be an array");
    }
    JsonNode a = r;
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).isObject()) {
        throw error("rowType[" + i + "]", "must be an object");
      }
      JsonNode c = a.get(i);
      JsonNode type = c.get("type");
      String code =
          type != null && type.isObject() && type.has("code")
              ? typeCode(type.get("code"), "rowType[" + i + "].type.code")
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

  /** A column's type code: a string, or a number or boolean as its text; null stays null. */
  private String typeCode(JsonNode code, String field) {
    if (code.isNull()) {
      return null;
    }
    if (!code.isValueNode()) {
      throw error(field, "must be a string");
    }
    return code.asText();
  }

  private ChangeStreamRecordMetadata metadata(JsonNode o) {
    JsonNode m = o.get("metadata");
    if (m == null || m.isNull()) {
      return null;
    }
    if (!m.isObject()) {
      throw error("metadata", "must be an object");
    }
    JsonNode md = m;
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

  private Timestamp timestamp(JsonNode o, String name, boolean required) {
    JsonNode t = o.get(name);
    if (t == null || t.isNull()) {
      if (required) {
        throw error(name, "missing");
      }
      return null;
    }
    if (!t.isObject()) {
      throw error(name, "must be an object {\"seconds\": .., \"nanos\": ..}");
    }
    JsonNode ts = t;
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

  private long number(JsonNode o, String name, long absent) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? absent : wholeNumber(v, name, true);
  }

  private long wholeNumber(JsonNode v, String field, boolean required) {
    if (v == null || v.isNull()) {
      if (required) {
        throw error(field, "missing");
      }
      return 0;
    }
    if (!v.isValueNode()) {
      throw error(field, "must be a whole number");
    }
    try {
      return Long.parseLong(v.asText());
    } catch (NumberFormatException ex) {
      throw error(field, "must be a whole number, got '" + v.asText() + "'");
    }
  }

  private boolean bool(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw error(name, "must be true or false");
    }
    return v.booleanValue();
  }

  private String requiredString(JsonNode o, String name) {
    String s = optionalString(o, name);
    if (s == null || s.isEmpty()) {
      throw error(name, "missing or empty");
    }
    return s;
  }

  private String optionalString(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(name, "must be a string");
    }
    return v.textValue();
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    // The parser appends its source location on further lines; one line reads better in logs.
    String m =
        t instanceof JsonProcessingException j
            ? j.getOriginalMessage() + locationOf(j)
            : String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
  }

  private ConfigException error(String field, String problem) {
    return new ConfigException(source, location, field, problem);
  }
}
