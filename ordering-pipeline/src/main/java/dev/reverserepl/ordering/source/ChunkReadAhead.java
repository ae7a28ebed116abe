package dev.reverserepl.ordering.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * The chunks of one {@link FileIndex}, each taken in turn while the next ones are parsed on a
 * thread of its own. {@value #DEPTH} chunks ahead at most, the most the DirectRunner takes from an
 * unbounded reader in one bundle (it takes ten elements in a row, then carries them through the
 * stages after the read): what is held beyond the flow gate's room stays those chunks. A chunk
 * taken out of turn (a reader resumed elsewhere) is read on the caller's thread, and a malformed
 * line's error comes out of {@link #take} as the read threw it.
 */
final class ChunkReadAhead implements AutoCloseable {
  static final int DEPTH = 10;

  private final FileIndex index;
  private final Deque<Future<List<DataChangeRecord>>> ahead = new ArrayDeque<>();
  private ExecutorService thread;
  // the chunk the head of the queue parses
  private int headChunk = -1;

  ChunkReadAhead(FileIndex index) {
    this.index = index;
  }

  /** Chunk {@code c}'s records, in file order; the chunks after it are parsed meanwhile. */
  List<DataChangeRecord> take(int c) {
    List<DataChangeRecord> chunk;
    if (!ahead.isEmpty() && headChunk == c) {
      chunk = await(ahead.poll());
    } else {
      cancel();
      chunk = index.readChunk(c);
    }
    headChunk = c + 1;
    for (int next = c + 1 + ahead.size(); ahead.size() < DEPTH && next < index.chunks(); next++) {
      int n = next;
      ahead.add(thread().submit(() -> index.readChunk(n)));
    }
    return chunk;
  }

  private ExecutorService thread() {
    if (thread == null) {
      thread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "rr-file-read-ahead");
                t.setDaemon(true);
                return t;
              });
    }
    return thread;
  }

  private void cancel() {
    ahead.forEach(f -> f.cancel(true));
    ahead.clear();
  }

  @Override
  public void close() {
    cancel();
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }

  private static List<DataChangeRecord> await(Future<List<DataChangeRecord>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading change records ahead", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }
}
