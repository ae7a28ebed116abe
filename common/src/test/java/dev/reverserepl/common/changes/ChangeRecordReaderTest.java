package dev.reverserepl.common.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.gson.Gson;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ChangeStreamRecordMetadata;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules 1..7 of "Change records" in the module README. */
class ChangeRecordReaderTest {
  static DataChangeRecord record(String tx, String seq, ModType type, Mod... mods) {
    return new DataChangeRecord(
        "partition-1",
        Timestamp.ofTimeSecondsAndNanos(1_700_000_000L, 123_456_789),
        tx,
        true,
        seq,
        "Singers",
        List.of(
            new ColumnType("SingerId", new TypeCode("{\"code\":\"INT64\"}"), true, 1),
            new ColumnType("FirstName", new TypeCode("{\"code\":\"STRING\"}"), false, 2)),
        List.of(mods),
        type,
        ValueCaptureType.NEW_ROW,
        mods.length,
        1,
        "app-tag",
        false,
        null);
  }

  static Mod mod(int id, String name) {
    return new Mod("{\"SingerId\":\"" + id + "\"}", "{}", "{\"FirstName\":\"" + name + "\"}");
  }

  private static void write(Path file, String... lines) throws Exception {
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  @Test
  void rule1_readsWhatPlainGsonWritesOneRecordPerLine(@TempDir Path dir) throws Exception {
    // Google's template serialises with a default Gson; Timestamp becomes
    // {"seconds":..,"nanos":..}.
    Gson plain = new Gson();
    DataChangeRecord a =
        record("tx1", "00000000", ModType.INSERT, mod(1, "a\\nb \\\"q\\\" ünï 😀"));
    DataChangeRecord b =
        record("tx2", "00000001", ModType.DELETE, new Mod("{\"SingerId\":\"1\"}", "{}", "{}"));
    String lineA = plain.toJson(a);
    assertTrue(
        lineA.contains("\"commitTimestamp\":{\"seconds\":1700000000,\"nanos\":123456789}"), lineA);
    Path f = dir.resolve("part-0.json");
    write(f, lineA, "", "   ", plain.toJson(b));
    assertEquals(List.of(a, b), ChangeRecordReader.readAll(f.toString()));
  }

  @Test
  void rule2_directoryIsReadInNameOrderSkippingHiddenFiles(@TempDir Path dir) throws Exception {
    write(
        dir.resolve("b.json"),
        ChangeRecordWriter.toJson(record("tx2", "2", ModType.UPDATE, mod(2, "b"))));
    write(
        dir.resolve("a.json"),
        ChangeRecordWriter.toJson(record("tx1", "1", ModType.INSERT, mod(1, "a"))));
    write(dir.resolve(".hidden.json"), "garbage");
    Files.createDirectory(dir.resolve("sub"));
    write(dir.resolve("sub/c.json"), "garbage too");
    List<String> txs =
        ChangeRecordReader.readAll(dir.toString()).stream()
            .map(DataChangeRecord::getServerTransactionId)
            .toList();
    assertEquals(List.of("tx1", "tx2"), txs);
    assertEquals(
        List.of(dir.resolve("a.json"), dir.resolve("b.json")),
        ChangeRecordReader.files(dir.toString()));
    // The same through Beam's file systems (the gs:// code path), by file:// URI.
    List<String> viaBeam =
        ChangeRecordReader.readAll(dir.toUri().toString()).stream()
            .map(DataChangeRecord::getServerTransactionId)
            .toList();
    assertEquals(txs, viaBeam);
    assertEquals(2, ChangeRecordReader.fileNames(dir.toUri().toString()).size());
    assertEquals(
        txs.subList(0, 1),
        ChangeRecordReader.readAll(dir.resolve("a.json").toUri().toString()).stream()
            .map(DataChangeRecord::getServerTransactionId)
            .toList());
    ConfigException none =
        assertThrows(
            ConfigException.class,
            () -> ChangeRecordReader.readAll(dir.resolve("missing").toString()));
    assertTrue(none.getMessage().contains("missing"));
  }

  @Test
  void rule3_malformedLineStopsTheReaderWithFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("changes.json");
    String good = ChangeRecordWriter.toJson(record("tx1", "1", ModType.INSERT, mod(1, "a")));
    write(f, good, good, "{\"commitTimestamp\": oops", good);
    List<DataChangeRecord> seen = new ArrayList<>();
    ConfigException e;
    try (ChangeRecordReader r = ChangeRecordReader.open(f.toString())) {
      e = assertThrows(ConfigException.class, () -> r.forEachRemaining(seen::add));
    }
    assertEquals(2, seen.size());
    assertEquals(f.toString(), e.source());
    assertEquals("line 3", e.location());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
    // readAll returns nothing rather than a silently shortened list.
    assertThrows(ConfigException.class, () -> ChangeRecordReader.readAll(f.toString()));
  }

  @Test
  void rule3_errorInALaterFileOfADirectoryNamesThatFile(@TempDir Path dir) throws Exception {
    write(
        dir.resolve("1.json"),
        ChangeRecordWriter.toJson(record("tx1", "1", ModType.INSERT, mod(1, "a"))));
    write(dir.resolve("2.json"), "", "[1]");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ChangeRecordReader.readAll(dir.toString()));
    assertEquals(dir.resolve("2.json").toString(), e.source());
    assertEquals("line 2", e.location());
  }

  @Test
  void rule4_requiredFieldsAreCheckedAndNamed() {
    String good = ChangeRecordWriter.toJson(record("tx1", "7", ModType.INSERT, mod(1, "a")));
    assertField(good.replace("\"serverTransactionId\":\"tx1\",", ""), "serverTransactionId");
    assertField(
        good.replace("\"recordSequence\":\"7\"", "\"recordSequence\":\"x7\""), "recordSequence");
    assertField(good.replace("\"tableName\":\"Singers\"", "\"tableName\":\"\""), "tableName");
    assertField(good.replace("\"modType\":\"INSERT\"", "\"modType\":\"UNKNOWN\""), "modType");
    assertField(good.replace("\"modType\":\"INSERT\"", "\"modType\":\"UPSERT\""), "modType");
    assertField(
        good.replace("\"nanos\":123456789", "\"nanos\":1234567890"), "commitTimestamp.nanos");
    assertField(good.replaceAll("\"commitTimestamp\":\\{[^}]*\\},", ""), "commitTimestamp");
    assertField(
        good.replaceAll("\"mods\":\\[.*?\\],\"modType\"", "\"mods\":[],\"modType\""), "mods");
    assertField(
        good.replace("{\\\"SingerId\\\":\\\"1\\\"}", "{\\\"SingerId\\\":"), "mods[0].keysJson");
    assertField(
        good.replace(
            "\"numberOfRecordsInTransaction\":1", "\"numberOfRecordsInTransaction\":\"many\""),
        "numberOfRecordsInTransaction");
    assertField(
        good.replace("\"valueCaptureType\":\"NEW_ROW\"", "\"valueCaptureType\":\"NEWEST\""),
        "valueCaptureType");
  }

  private static void assertField(String line, String field) {
    assertFalse(
        line.equals(ChangeRecordWriter.toJson(record("tx1", "7", ModType.INSERT, mod(1, "a")))),
        "the test did not change the line for " + field);
    ConfigException e =
        assertThrows(ConfigException.class, () -> ChangeRecordReader.parseLine(line, "f.json", 9));
    assertEquals(field, e.field(), e.getMessage());
    assertEquals("line 9", e.location());
    assertEquals("f.json", e.source());
  }

  @Test
  void rule5_prettyPrintedObjectsAndSingularModAreAccepted() {
    Path f = Fixtures.repo("changes/type-families-pretty.json");
    List<DataChangeRecord> records = ChangeRecordReader.readAll(f.toString());
    assertEquals(1, records.size());
    DataChangeRecord r = records.get(0);
    assertEquals("type_families", r.getTableName());
    assertEquals(ModType.INSERT, r.getModType());
    assertEquals(1, r.getMods().size());
    assertEquals("{\"id\":\"41\"}", r.getMods().get(0).getKeysJson());
    assertTrue(
        r.getMods().get(0).getNewValuesJson().contains("\"ubig_c\":\"18446744073709551615\""));
    assertTrue(r.getMods().get(0).getNewValuesJson().contains("\"set_c\":[\"red\",\"blue\"]"));
    assertEquals(ValueCaptureType.UNKNOWN, r.getValueCaptureType());
    Change c = ChangeRecordReader.toChanges(r).get(0);
    assertEquals(1717243200_250000000L, c.position().commitNanos());
  }

  @Test
  void rule5_prettyPrintedObjectThatNeverClosesIsAnError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.json");
    write(f, "{", "  \"tableName\": \"x\",", "  \"s\": \"}{\"");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ChangeRecordReader.readAll(f.toString()));
    assertEquals("line 1", e.location());
  }

  @Test
  void rule6_writerOutputReadsBackEqual(@TempDir Path dir) {
    ChangeStreamRecordMetadata md =
        ChangeStreamRecordMetadata.newBuilder()
            .withPartitionToken("p")
            .withRecordTimestamp(Timestamp.ofTimeSecondsAndNanos(5, 6))
            .withQueryStartedAt(Timestamp.ofTimeSecondsAndNanos(7, 8))
            .withNumberOfRecordsRead(3)
            .build();
    DataChangeRecord withMeta =
        new DataChangeRecord(
            "p",
            Timestamp.ofTimeSecondsAndNanos(-5, 1),
            "tx",
            false,
            "12",
            "T",
            List.of(),
            List.of(mod(1, "x"), mod(2, "y")),
            ModType.UPDATE,
            ValueCaptureType.NEW_ROW,
            2,
            3,
            "",
            true,
            md);
    List<DataChangeRecord> all =
        List.of(
            record("a", "0", ModType.INSERT, mod(1, "a")),
            withMeta,
            record("c", "99", ModType.DELETE, new Mod("{\"SingerId\":\"3\"}", null, null)));
    Path f = dir.resolve("out/records.jsonl");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(f)) {
      all.forEach(w::write);
    }
    assertEquals(all, ChangeRecordReader.readAll(f.toString()));
  }

  @Test
  void rule7_toChangesSplitsModsWithPositions() {
    DataChangeRecord r =
        record("tx9", "00000042", ModType.UPDATE, mod(1, "a"), mod(2, "b"), mod(3, "c"));
    List<Change> changes = ChangeRecordReader.toChanges(r);
    assertEquals(3, changes.size());
    for (int i = 0; i < 3; i++) {
      Change c = changes.get(i);
      assertEquals("Singers", c.table());
      assertEquals(ModKind.UPDATE, c.kind());
      assertEquals(i, c.position().modIndex());
      assertEquals(42, c.position().recordSequence());
      assertEquals("tx9", c.position().serverTransactionId());
      assertEquals(1_700_000_000_123_456_789L, c.position().commitNanos());
      assertEquals("app-tag", c.transactionTag());
      assertEquals(3, c.recordsInTransaction());
      assertEquals("{\"SingerId\":\"" + (i + 1) + "\"}", c.keysJson());
    }
    assertTrue(changes.get(0).position().compareTo(changes.get(1).position()) < 0);
    Change del =
        ChangeRecordReader.toChanges(record("t", "1", ModType.DELETE, mod(5, "gone"))).get(0);
    assertEquals(ModKind.DELETE, del.kind());
    assertEquals("{}", del.newValuesJson());
  }
}
