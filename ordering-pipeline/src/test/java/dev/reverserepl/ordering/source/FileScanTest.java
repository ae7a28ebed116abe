package dev.reverserepl.ordering.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.ordering.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one pass before a replay parses chunks in parallel, yet hands the records over in file order,
 * indexes the same chunks a sequential read would, and reports the first malformed line by number.
 */
class FileScanTest {
  @TempDir Path dir;

  @Test
  void ruleS5_theScanHandsRecordsOverInFileOrderAndIndexesEveryChunk() throws Exception {
    int n = 3 * ChangeRecordFiles.CHUNK_RECORDS + 277;
    Path file = write(n, -1);
    List<String> seen = new ArrayList<>();
    FileScan scan = FileScan.of(file.toString(), r -> seen.add(r.getServerTransactionId()));
    assertEquals(n, scan.records());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add("tx" + i);
    }
    assertEquals(expected, seen);
    FileIndex index = scan.index(file.toString());
    assertEquals(4, index.chunks());
    List<String> read = new ArrayList<>();
    for (int c = 0; c < index.chunks(); c++) {
      index.readChunk(c).forEach(r -> read.add(r.getServerTransactionId()));
    }
    assertEquals(expected, read);
    // Commit times rise through the file, so each chunk's suffix minimum is its first record's.
    for (int c = 0; c < index.chunks(); c++) {
      DataChangeRecord first = index.readChunk(c).get(0);
      assertEquals(ChangeRecordFiles.commitMillis(first), index.suffixMinMillis()[c]);
    }
  }

  @Test
  void ruleS5_aMalformedLineFailsTheScanWithItsNumber() throws Exception {
    int bad = 2 * ChangeRecordFiles.CHUNK_RECORDS + 13;
    Path file = write(4 * ChangeRecordFiles.CHUNK_RECORDS, bad);
    ConfigException e =
        assertThrows(ConfigException.class, () -> FileScan.of(file.toString(), r -> {}));
    assertTrue(e.getMessage().contains("line " + (bad + 1)), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  @Test
  void ruleS5_theReadAheadGivesEachChunkAsTheReadWouldInTurnOrOutOfTurn() throws Exception {
    int n = 4 * ChangeRecordFiles.CHUNK_RECORDS + 31;
    Path file = write(n, -1);
    FileIndex index = FileScan.of(file.toString(), r -> {}).index(file.toString());
    try (ChunkReadAhead ahead = new ChunkReadAhead(index)) {
      for (int c : new int[] {0, 1, 2, 1, 3, 4, 0, 4}) {
        assertEquals(ids(index.readChunk(c)), ids(ahead.take(c)), "chunk " + c);
      }
    }
  }

  @Test
  void ruleS5_aMalformedLineReadAheadFailsTheTakeWithItsNumber() throws Exception {
    int bad = ChangeRecordFiles.CHUNK_RECORDS + 7;
    Path file = write(3 * ChangeRecordFiles.CHUNK_RECORDS, -1);
    FileIndex index = FileScan.of(file.toString(), r -> {}).index(file.toString());
    List<String> lines = Files.readAllLines(file);
    lines.set(bad, lines.get(bad).substring(0, lines.get(bad).length() / 2));
    // the same length, so the index's offsets still point at the records that follow
    lines.set(bad, lines.get(bad) + " ".repeat(Files.readAllLines(file).get(bad).length() / 2));
    Files.write(file, lines);
    try (ChunkReadAhead ahead = new ChunkReadAhead(index)) {
      assertEquals(ChangeRecordFiles.CHUNK_RECORDS, ahead.take(0).size());
      ConfigException e = assertThrows(ConfigException.class, () -> ahead.take(1));
      assertTrue(e.getMessage().contains("line " + (bad + 1)), e.getMessage());
    }
  }

  private static List<String> ids(List<DataChangeRecord> records) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(r.getServerTransactionId()));
    return out;
  }

  /** {@code n} records with rising commit times; record {@code bad} (0-based) is broken JSON. */
  private Path write(int n, int bad) throws Exception {
    Path good = dir.resolve("good.jsonl");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(good)) {
      for (int i = 0; i < n; i++) {
        w.write(
            Records.record(
                1_700_000_000_000_000L + i * 1_000L,
                "tx" + i,
                0,
                "parcel",
                ModType.UPDATE,
                "",
                "{\"parcel_id\":\"" + i + "\"}",
                "{\"migration_shard_id\":\"shard1\"}"));
      }
    }
    List<String> lines = Files.readAllLines(good);
    if (bad >= 0) {
      lines.set(bad, lines.get(bad).substring(0, lines.get(bad).length() / 2));
    }
    Path file = dir.resolve("changes.jsonl");
    Files.write(file, lines);
    return file;
  }
}
