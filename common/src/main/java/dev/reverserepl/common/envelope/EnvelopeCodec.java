package dev.reverserepl.common.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link Envelope}s as versioned JSON (format documented in the ordering pipeline's
 * README). Keys and new values are embedded as JSON objects exactly as the change stream delivered
 * them.
 */
public final class EnvelopeCodec {
  private static final JsonFactory FACTORY = Json.mapper().getFactory();

  private EnvelopeCodec() {}

  public static byte[] encode(Envelope e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + e.changes().size() * 256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", Envelope.FORMAT_VERSION);
      g.writeStringField("shardId", e.shardId());
      g.writeNumberField("partition", e.partition());
      g.writeNumberField("epoch", e.epoch());
      g.writeNumberField("firstSeq", e.firstSequence());
      g.writeNumberField("lastSeq", e.lastSequence());
      g.writeNumberField("publishedThroughNanos", e.publishedThroughNanos());
      g.writeArrayFieldStart("changes");
      for (SequencedChange sc : e.changes()) {
        Change c = sc.change();
        ChangePosition p = c.position();
        g.writeStartObject();
        g.writeNumberField("seq", sc.sequence());
        g.writeBooleanField("eot", sc.endOfTransaction());
        g.writeStringField("table", c.table());
        g.writeStringField("kind", c.kind().name());
        g.writeFieldName("keys");
        g.writeRawValue(c.keysJson());
        g.writeFieldName("values");
        g.writeRawValue(c.newValuesJson());
        g.writeNumberField("commitNanos", p.commitNanos());
        g.writeStringField("txn", p.serverTransactionId());
        g.writeNumberField("recordSeq", p.recordSequence());
        g.writeNumberField("mod", p.modIndex());
        g.writeStringField("tag", c.transactionTag());
        g.writeNumberField("recordsInTxn", c.recordsInTransaction());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one envelope; a malformed or unknown-version payload is an {@link
   * IllegalArgumentException}.
   */
  public static Envelope decode(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (IOException ex) {
      throw new IllegalArgumentException("envelope is not valid JSON: " + ex.getMessage(), ex);
    }
    int version = required(root, "v").asInt();
    if (version != Envelope.FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported envelope version " + version);
    }
    String shardId = required(root, "shardId").asText();
    int partition = required(root, "partition").asInt();
    long epoch = required(root, "epoch").asLong();
    List<SequencedChange> changes = new ArrayList<>();
    for (JsonNode n : required(root, "changes")) {
      Change c =
          new Change(
              required(n, "table").asText(),
              ModKind.valueOf(required(n, "kind").asText()),
              required(n, "keys").toString(),
              required(n, "values").toString(),
              new ChangePosition(
                  required(n, "commitNanos").asLong(),
                  required(n, "txn").asText(),
                  required(n, "recordSeq").asLong(),
                  required(n, "mod").asInt()),
              n.path("tag").asText(""),
              n.path("recordsInTxn").asLong(0));
      changes.add(
          new SequencedChange(
              shardId,
              partition,
              epoch,
              required(n, "seq").asLong(),
              n.path("eot").asBoolean(false),
              c));
    }
    return new Envelope(
        shardId,
        partition,
        epoch,
        required(root, "firstSeq").asLong(),
        required(root, "lastSeq").asLong(),
        required(root, "publishedThroughNanos").asLong(),
        changes);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("envelope field '" + field + "' is missing");
    }
    return v;
  }
}
