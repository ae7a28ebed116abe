package dev.reverserepl.common.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.junit.jupiter.api.Test;

/**
 * Rule 4 of "Change records": each required field, each wrong type and each broken nested JSON is
 * an error naming the line and the field; what the writer writes reads back equal.
 */
class ChangeRecordFieldsTest {
  private static final DataChangeRecord GOOD =
      ChangeRecordReaderTest.record(
          "tx1", "00000007", ModType.UPDATE, ChangeRecordReaderTest.mod(1, "a"));

  @Test
  void rule4_aWrittenRecordReadsBackEqual() {
    String line = ChangeRecordWriter.toJson(GOOD);
    assertEquals(GOOD, ChangeRecordReader.parseLine(line, "f.jsonl", 3));
  }

  @Test
  void rule4_eachMissingRequiredFieldIsNamed() {
    for (String field :
        new String[] {
          "commitTimestamp", "serverTransactionId", "recordSequence", "tableName", "mods", "modType"
        }) {
      assertError(o -> o.remove(field), field, "missing");
    }
    assertError(o -> mod0(o).remove("keysJson"), "mods[0].keysJson", "missing");
  }

  @Test
  void rule4_eachWrongTypeIsNamed() {
    assertError(o -> o.put("tableName", 5), "tableName", "must be a string");
    assertError(o -> o.put("isSystemTransaction", "yes"), "isSystemTransaction", "true or false");
    assertError(o -> o.put("recordSequence", "7a"), "recordSequence", "not a decimal number");
    assertError(o -> o.put("modType", "UPSERT"), "modType", "must be INSERT, UPDATE or DELETE");
    assertError(o -> o.put("valueCaptureType", "ALL"), "valueCaptureType", "unknown value");
    assertError(
        o -> o.put("numberOfRecordsInTransaction", 1.5),
        "numberOfRecordsInTransaction",
        "must be a whole number, got '1.5'");
    assertError(
        o -> ((ObjectNode) o.get("commitTimestamp")).put("nanos", 1_000_000_000L),
        "commitTimestamp.nanos",
        "must be 0..999999999");
    assertError(o -> o.put("commitTimestamp", "2026"), "commitTimestamp", "must be an object");
    assertError(o -> o.put("mods", "[]"), "mods", "must be an array");
    assertError(o -> o.putArray("mods"), "mods", "empty");
    assertError(o -> o.putArray("rowType").add(3), "rowType[0]", "must be an object");
    assertError(
        o -> ((ObjectNode) o.get("rowType").get(1).get("type")).putArray("code"),
        "rowType[1].type.code",
        "must be a string");
  }

  @Test
  void rule4_brokenJsonInsideAModIsNamed() {
    assertError(
        o -> mod0(o).put("keysJson", "{\"SingerId\":\"1\"} trailing"),
        "mods[0].keysJson",
        "holds invalid JSON");
    assertError(
        o -> mod0(o).put("newValuesJson", "{\"FirstName\":"), "mods[0].newValuesJson", "invalid");
    assertError(o -> mod0(o).put("keysJson", "[1]"), "mods[0].keysJson", "must hold a JSON object");
    assertError(
        o -> mod0(o).put("oldValuesJson", 4), "mods[0].oldValuesJson", "must be a string holding");
  }

  @Test
  void rule4_aBrokenLineOrTrailingContentIsInvalidJson() {
    String line = ChangeRecordWriter.toJson(GOOD);
    for (String bad : new String[] {line + " {}", line.substring(0, line.length() - 1), "[1]"}) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> ChangeRecordReader.parseLine(bad, "f", 9));
      assertEquals("line 9", e.location());
      assertTrue(e.getMessage().contains("JSON"), e.getMessage());
    }
  }

  @Test
  void rule4_aRawControlCharacterInAStringIsReadAsWritten() {
    DataChangeRecord tabbed =
        ChangeRecordReaderTest.record(
            "tx\t1", "00000007", ModType.INSERT, new Mod("{\"SingerId\":\"1\"}", "{}", "{}"));
    String line = ChangeRecordWriter.toJson(tabbed).replace("tx\\t1", "tx\t1");
    assertTrue(line.contains("tx\t1"), line);
    assertEquals(tabbed, ChangeRecordReader.parseLine(line, "f", 1));
  }

  private static ObjectNode mod0(ObjectNode o) {
    return (ObjectNode) o.get("mods").get(0);
  }

  private static void assertError(Consumer<ObjectNode> breakIt, String field, String problem) {
    ObjectNode o;
    try {
      o = (ObjectNode) Json.parse(ChangeRecordWriter.toJson(GOOD));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    breakIt.accept(o);
    String line = Json.write((JsonNode) o);
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ChangeRecordReader.parseLine(line, "f.jsonl", 12), field);
    assertEquals("f.jsonl", e.source());
    assertEquals("line 12", e.location());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    ConfigException fromBytes =
        assertThrows(
            ConfigException.class, () -> ChangeRecordReader.parseLine(utf8(line), "f.jsonl", 12));
    assertEquals(e.getMessage(), fromBytes.getMessage());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void rule4_aLineReadFromItsBytesIsTheLineReadAsText() {
    DataChangeRecord wide =
        ChangeRecordReaderTest.record(
            "tx-ü",
            "00000007",
            ModType.UPDATE,
            new Mod("{\"SingerId\":\"1\"}", "{}", "{\"Name\":\"Zoë 名前 😀\"}"));
    String line = ChangeRecordWriter.toJson(wide);
    assertEquals(
        ChangeRecordReader.parseLine(line, "f", 1),
        ChangeRecordReader.parseLine(utf8(line), "f", 1));
    assertEquals(wide, ChangeRecordReader.parseLine(utf8(line), "f", 1));
    // a broken line after wide characters: the same error, its column counted in characters
    String bad = line.substring(0, line.length() - 1);
    ConfigException asText =
        assertThrows(ConfigException.class, () -> ChangeRecordReader.parseLine(bad, "f", 2));
    ConfigException asBytes =
        assertThrows(ConfigException.class, () -> ChangeRecordReader.parseLine(utf8(bad), "f", 2));
    assertEquals(asText.getMessage(), asBytes.getMessage());
  }
}
