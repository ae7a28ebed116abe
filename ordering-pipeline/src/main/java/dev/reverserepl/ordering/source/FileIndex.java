package dev.reverserepl.ordering.source;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /**
   * The same pass, giving each record to {@code each} as well, in file order. Each chunk's lines
   * are parsed on a pool of the machine's cores while the file is read on and the records before
   * are handed over; at most a few chunks per core are held at once.
   */
  static FileIndex build(String file, java.util.function.Consumer<DataChangeRecord> each) {
    List<long[]> chunks = new ArrayList<>(); // {offset, linesBefore, minMillis}
    long records = 0;
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService parsers = Executors.newFixedThreadPool(cores, FileIndex::parserThread);
    Deque<Future<List<DataChangeRecord>>> parsing = new ArrayDeque<>();
    try (RecordCursor cursor = RecordCursor.open(file, 0, 0)) {
      boolean more = true;
      while (more || !parsing.isEmpty()) {
        if (more && parsing.size() < 2 * cores) {
          List<RecordCursor.Text> texts = new ArrayList<>(ChangeRecordFiles.CHUNK_RECORDS);
          for (RecordCursor.Text t = cursor.nextText(); t != null; t = cursor.nextText()) {
            texts.add(t);
            if (texts.size() == ChangeRecordFiles.CHUNK_RECORDS) {
              break;
            }
          }
          more = texts.size() == ChangeRecordFiles.CHUNK_RECORDS;
          if (!texts.isEmpty()) {
            chunks.add(
                new long[] {texts.get(0).offset(), texts.get(0).linesBefore(), Long.MAX_VALUE});
            parsing.add(parsers.submit(() -> parse(file, texts)));
          }
          continue;
        }
        List<DataChangeRecord> parsed = await(parsing.poll());
        long[] chunk = chunks.get((int) (records / ChangeRecordFiles.CHUNK_RECORDS));
        for (DataChangeRecord r : parsed) {
          each.accept(r);
          chunk[2] = Math.min(chunk[2], ChangeRecordFiles.commitMillis(r));
          records++;
        }
      }
    } finally {
      parsers.shutdownNow();
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

  private static List<DataChangeRecord> parse(String file, List<RecordCursor.Text> texts) {
    List<DataChangeRecord> out = new ArrayList<>(texts.size());
    for (RecordCursor.Text t : texts) {
      out.add(t.parse(file));
    }
    return out;
  }

  // A malformed line's error (naming file and line) comes out as it was thrown.
  private static List<DataChangeRecord> await(Future<List<DataChangeRecord>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while indexing change records", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private static Thread parserThread(Runnable r) {
    Thread t = new Thread(r, "rr-index-parse");
    t.setDaemon(true);
    return t;
  }
}
