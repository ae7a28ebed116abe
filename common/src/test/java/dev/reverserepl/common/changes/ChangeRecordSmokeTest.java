package dev.reverserepl.common.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.Timestamp;
import dev.reverserepl.common.change.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeRecordSmokeTest {
  @Test
  void roundTrip(@TempDir Path dir) {
    DataChangeRecord r = new DataChangeRecord("tok", Timestamp.ofTimeSecondsAndNanos(1700000000, 123456789), "tx1",
        true, "00000001", "Singers", List.of(),
        List.of(new Mod("{\"SingerId\":\"1\"}", null, "{\"FirstName\":\"a\"}")), ModType.INSERT,
        ValueCaptureType.NEW_ROW, 1, 1, "", false, null);
    Path f = dir.resolve("a.json");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(f)) {
      w.write(r);
    }
    List<DataChangeRecord> back = ChangeRecordReader.readAll(f.toString());
    assertEquals(List.of(r), back);
    List<Change> changes = ChangeRecordReader.toChanges(back.get(0));
    assertEquals(1700000000123456789L, changes.get(0).position().commitNanos());
  }
}
