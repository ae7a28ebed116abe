package dev.reverserepl.common.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;
import org.junit.jupiter.api.Test;

/**
 * Rule 4 of "Change records" for a line read a second time: token by token when it is in the plain
 * form, the full parse otherwise, the same record either way.
 */
class CheckedRecordParseTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Random r) {
    // whole code points: a file holds UTF-8, which has no lone surrogates
    int[] alphabet = "abcXYZ019 \"\\\t\n/é名😀{}[],:".codePoints().toArray();
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(12); i > 0; i--) {
      s.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
    }
    return s.toString();
  }

  private static DataChangeRecord random(Random r) {
    List<ColumnType> columns = new ArrayList<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      columns.add(
          new ColumnType(
              "c" + i,
              r.nextBoolean() ? new TypeCode("{\"code\":\"STRING\"}") : null,
              r.nextBoolean(),
              r.nextInt(40)));
    }
    List<Mod> mods = new ArrayList<>();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      mods.add(
          new Mod(
              Json.write(java.util.Map.of("id", text(r))),
              r.nextBoolean() ? null : "{}",
              r.nextInt(4) == 0 ? null : Json.write(java.util.Map.of("v", text(r)))));
    }
    ModType[] kinds = {ModType.INSERT, ModType.UPDATE, ModType.DELETE};
    return new DataChangeRecord(
        r.nextBoolean() ? null : "p" + r.nextInt(9),
        Timestamp.ofTimeSecondsAndNanos(r.nextLong(0, 4_000_000_000L), r.nextInt(1_000_000_000)),
        "tx" + text(r) + "x",
        r.nextBoolean(),
        String.format("%08d", r.nextInt(100_000)),
        "T" + r.nextInt(5),
        columns,
        mods,
        kinds[r.nextInt(3)],
        ValueCaptureType.values()[r.nextInt(ValueCaptureType.values().length)],
        1 + r.nextInt(30),
        1 + r.nextInt(3),
        r.nextBoolean() ? "" : text(r),
        r.nextBoolean(),
        null);
  }

  @Test
  void rule4_aPlainLineReadTokenByTokenIsTheRecordTheFullParseGives() {
    Random r = new Random(17);
    for (int i = 0; i < 5_000; i++) {
      DataChangeRecord record = random(r);
      String line = ChangeRecordWriter.toJson(record);
      DataChangeRecord fast = CheckedRecordParse.parse(utf8(line));
      assertNotNull(fast, line);
      assertEquals(ChangeRecordReader.parseLine(line, "f", 1), fast, line);
      assertEquals(record, fast, line);
      assertEquals(fast, ChangeRecordReader.parseLine(utf8(line), "f", 1), line);
    }
  }

  @Test
  void rule4_everyOtherFormIsLeftToTheFullParseAndReadsTheSame() {
    String line = ChangeRecordWriter.toJson(random(new Random(5)));
    List<Consumer<ObjectNode>> variants =
        List.of(
            o -> o.put("numberOfRecordsInTransaction", "7"),
            o -> ((ObjectNode) o.get("commitTimestamp")).put("seconds", "1700000000"),
            o -> ((ObjectNode) o.get("commitTimestamp")).remove("nanos"),
            o -> o.putObject("metadata").put("partitionToken", "m"),
            o -> o.putNull("metadata"),
            o -> o.put("unknownField", "x"),
            o -> o.putArray("alsoUnknown").addObject().put("a", 1),
            o -> o.putNull("rowType"),
            o -> o.putArray("rowType").addObject().put("name", "c").put("type", "plain"),
            o -> o.putArray("rowType").addObject().putObject("type").put("code", 5),
            o -> o.putNull("transactionTag"),
            o -> o.putNull("valueCaptureType"),
            o -> o.putNull("isSystemTransaction"),
            o -> o.set("mod", o.get("mods").get(0)),
            o -> {
              o.set("mod", o.get("mods").get(0));
              o.remove("mods");
            },
            o -> ((ObjectNode) o.get("mods").get(0)).put("oldValuesJson", ""));
    for (Consumer<ObjectNode> change : variants) {
      String v = mutate(line, change);
      assertEquals(
          ChangeRecordReader.parseLine(v, "f", 1),
          ChangeRecordReader.parseCheckedLine(utf8(v), "f", 1),
          v);
    }
    // a duplicated field: the last one counts, as in the full parse
    String dup = line.substring(0, line.length() - 1) + ",\"tableName\":\"Other\"}";
    assertEquals("Other", ChangeRecordReader.parseCheckedLine(utf8(dup), "f", 1).getTableName());
    assertEquals(
        ChangeRecordReader.parseLine(dup, "f", 1),
        ChangeRecordReader.parseCheckedLine(utf8(dup), "f", 1));
  }

  @Test
  void rule4_aLineTheFullParseRefusesFailsWithTheSameError() {
    String line = ChangeRecordWriter.toJson(random(new Random(9)));
    List<Consumer<ObjectNode>> broken =
        List.of(
            o -> o.put("serverTransactionId", ""),
            o -> o.put("recordSequence", "12a"),
            o -> o.put("modType", "UPSERT"),
            o -> o.putArray("mods"),
            o -> ((ObjectNode) o.get("commitTimestamp")).put("nanos", 1_000_000_000L),
            o -> o.put("valueCaptureType", "SOMETIMES"),
            o -> o.put("numberOfPartitionsInTransaction", 2.0),
            o -> o.remove("tableName"));
    for (Consumer<ObjectNode> change : broken) {
      String v = mutate(line, change);
      ConfigException full =
          assertThrows(ConfigException.class, () -> ChangeRecordReader.parseLine(v, "f", 3));
      ConfigException checked =
          assertThrows(
              ConfigException.class, () -> ChangeRecordReader.parseCheckedLine(utf8(v), "f", 3));
      assertEquals(full.getMessage(), checked.getMessage());
    }
    assertThrows(
        ConfigException.class,
        () -> ChangeRecordReader.parseCheckedLine(utf8(line + " {}"), "f", 3));
    assertTrue(CheckedRecordParse.parse(utf8("[1]")) == null);
  }

  private static String mutate(String line, Consumer<ObjectNode> change) {
    try {
      ObjectNode o = (ObjectNode) Json.parse(line);
      change.accept(o);
      return Json.write((JsonNode) o);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
