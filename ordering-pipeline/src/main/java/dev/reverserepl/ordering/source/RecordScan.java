package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/** Every record of a set of change-record files (local or gs://), file by file, in file order. */
public final class RecordScan {
  private RecordScan() {}

  /**
   * Calls {@code each} for every record under {@code path}; a malformed line fails the scan with
   * its file and line number.
   */
  public static long forEach(String path, Consumer<DataChangeRecord> each) {
    long n = 0;
    for (String file : ChangeRecordReader.fileNames(path)) {
      try (RecordCursor cursor = RecordCursor.open(file, 0, 0)) {
        for (DataChangeRecord r = cursor.next(); r != null; r = cursor.next()) {
          each.accept(r);
          n++;
        }
      }
    }
    return n;
  }
}
