package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * One pass over every record of a set of change-record files (local or gs://), file by file in file
 * order, that also indexes each file for the paced read ({@link ChangeRecordFiles#withScan}), so
 * that an in-process replay parses its input once before the read instead of once per purpose. A
 * malformed line fails the scan with its file and line number.
 */
public final class FileScan {
  private final Map<String, FileIndex> indexes;
  private final long records;

  private FileScan(Map<String, FileIndex> indexes, long records) {
    this.indexes = indexes;
    this.records = records;
  }

  public static FileScan of(String path, Consumer<DataChangeRecord> each) {
    Map<String, FileIndex> indexes = new LinkedHashMap<>();
    long records = 0;
    for (String file : ChangeRecordReader.fileNames(path)) {
      FileIndex index = FileIndex.build(file, each);
      indexes.put(file, index);
      records += index.records();
    }
    return new FileScan(indexes, records);
  }

  public long records() {
    return records;
  }

  /** The index of {@code file} built by this scan, or a new one if the scan did not see it. */
  FileIndex index(String file) {
    FileIndex index = indexes.get(file);
    return index != null ? index : FileIndex.build(file);
  }
}
