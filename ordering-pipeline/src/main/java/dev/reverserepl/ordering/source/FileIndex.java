package dev.reverserepl.ordering.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * Where to resume reading one change-record file and how far its commit times have progressed:
 * chunk {@code i} begins at byte {@code offsets[i]} after {@code linesBefore[i]} lines, and no
 * record from chunk {@code i} on commits before {@code suffixMinMillis[i]}. That suffix minimum is
 * a correct watermark whatever the order of the records in the file: in commit order it follows the
 * read, in any other order it only moves more slowly.
 */
record FileIndex(
    String file, long[] offsets, long[] linesBefore, long[] suffixMinMillis, long records)
    implements Serializable {
  FileIndex {
    if (offsets.length != linesBefore.length || offsets.length != suffixMinMillis.length) {
      throw new IllegalArgumentException("index of " + file + " has arrays of different lengths");
    }
  }

  int chunks() {
    return offsets.length;
  }

  /** The records of chunk {@code c}, in file order. */
  List<DataChangeRecord> readChunk(int c) {
    List<DataChangeRecord> records = new ArrayList<>(ChangeRecordFiles.CHUNK_RECORDS);
    long end = c + 1 < chunks() ? offsets[c + 1] : Long.MAX_VALUE;
    try (RecordCursor cursor = RecordCursor.open(file, offsets[c], linesBefore[c])) {
      for (DataChangeRecord r = cursor.next();
          r != null && cursor.recordOffset() < end;
          r = cursor.next()) {
        records.add(r);
      }
    }
    return records;
  }

  /** One pass over the file: chunk starts and suffix minima of commit time. */
  static FileIndex build(String file) {
    return build(file, r -> {});
  }

  /** The same pass, giving each record to {@code each} as well. */
  static FileIndex build(String file, java.util.function.Consumer<DataChangeRecord> each) {
    List<long[]> chunks = new ArrayList<>(); // {offset, linesBefore, minMillis}
    long records = 0;
    try (RecordCursor cursor = RecordCursor.open(file, 0, 0)) {
      for (DataChangeRecord r = cursor.next(); r != null; r = cursor.next()) {
        each.accept(r);
        long millis = ChangeRecordFiles.commitMillis(r);
        if (records % ChangeRecordFiles.CHUNK_RECORDS == 0) {
          chunks.add(new long[] {cursor.recordOffset(), cursor.linesBeforeRecord(), millis});
        }
        long[] last = chunks.get(chunks.size() - 1);
        last[2] = Math.min(last[2], millis);
        records++;
      }
    }
    int n = chunks.size();
    long[] offsets = new long[n];
    long[] lines = new long[n];
    long[] suffixMin = new long[n];
    long min = Long.MAX_VALUE;
    for (int i = n - 1; i >= 0; i--) {
      offsets[i] = chunks.get(i)[0];
      lines[i] = chunks.get(i)[1];
      min = Math.min(min, chunks.get(i)[2]);
      suffixMin[i] = min;
    }
    return new FileIndex(file, offsets, lines, suffixMin, records);
  }
}
