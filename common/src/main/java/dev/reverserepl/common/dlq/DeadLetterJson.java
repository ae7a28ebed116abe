package dev.reverserepl.common.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.time.Instant;

/**
 * The JSON-lines form of a {@link DeadLetter}. Keys and new values are embedded as the JSON objects
 * the change stream delivered, so a line is readable by people and by {@code jq}; every field of
 * the change is kept so that it can be re-applied.
 */
final class DeadLetterJson {
  private DeadLetterJson() {}

  static String toLine(DeadLetter d) {
    ObjectNode o = Json.object();
    o.put("stage", d.stage());
    o.put("shardId", d.shardId());
    o.put("error", d.error());
    o.put("attempts", d.attempts());
    o.put("time", d.time().toString());
    if (d.change() != null) {
      Change c = d.change();
      ChangePosition p = c.position();
      ObjectNode n = o.putObject("change");
      n.put("table", c.table());
      n.put("kind", c.kind().name());
      n.set("keys", embedded(c.keysJson()));
      n.set("values", embedded(c.newValuesJson()));
      n.put("commitTimestamp", p.commitTimestamp().toString());
      n.put("commitNanos", p.commitNanos());
      n.put("serverTransactionId", p.serverTransactionId());
      n.put("recordSequence", p.recordSequence());
      n.put("modIndex", p.modIndex());
      n.put("transactionTag", c.transactionTag());
      n.put("recordsInTransaction", c.recordsInTransaction());
    }
    if (d.payload() != null) {
      o.put("payload", d.payload());
    }
    return Json.write(o);
  }

  // A value that is not valid JSON is kept verbatim as a string rather than lost.
  private static JsonNode embedded(String json) {
    try {
      return Json.parse(json);
    } catch (JsonProcessingException e) {
      return Json.mapper().getNodeFactory().textNode(json);
    }
  }

  static DeadLetter fromLine(String line, String source, int lineNumber) {
    String where = "line " + lineNumber;
    JsonNode o;
    try {
      o = Json.parse(line);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, where, "", "not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      Change change = null;
      JsonNode n = o.get("change");
      if (n != null && !n.isNull()) {
        change =
            new Change(
                text(n, "table", source, where),
                ModKind.valueOf(text(n, "kind", source, where)),
                raw(n.get("keys")),
                raw(n.get("values")),
                new ChangePosition(
                    required(n, "commitNanos", source, where).asLong(),
                    n.path("serverTransactionId").asText(""),
                    n.path("recordSequence").asLong(0),
                    n.path("modIndex").asInt(0)),
                n.path("transactionTag").asText(""),
                n.path("recordsInTransaction").asLong(0));
      }
      JsonNode shard = o.get("shardId");
      JsonNode payload = o.get("payload");
      return new DeadLetter(
          text(o, "stage", source, where),
          shard == null || shard.isNull() ? null : shard.asText(),
          change,
          text(o, "error", source, where),
          o.path("attempts").asInt(0),
          Instant.parse(text(o, "time", source, where)),
          payload == null || payload.isNull() ? null : payload.asText());
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException(source, where, "", "not a dead letter: " + e.getMessage(), e);
    }
  }

  private static String raw(JsonNode n) {
    if (n == null || n.isNull()) {
      return "{}";
    }
    return n.isTextual() ? n.asText() : n.toString();
  }

  private static JsonNode required(JsonNode n, String field, String source, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new ConfigException(source, where, field, "is missing");
    }
    return v;
  }

  private static String text(JsonNode n, String field, String source, String where) {
    return required(n, field, source, where).asText();
  }
}
