package dev.reverserepl.ordering.source;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * The chunks of one {@link FileIndex}, each taken in turn while the next is parsed on a thread of
 * its own. One chunk ahead at most: what is held beyond the flow gate's room stays one chunk. A
 * chunk taken out of turn (a reader resumed elsewhere) is read on the caller's thread, and a
 * malformed line's error comes out of {@link #take} as the read threw it.
 */
final class ChunkReadAhead implements AutoCloseable {
  private final FileIndex index;
  private ExecutorService thread;
  private Future<List<DataChangeRecord>> next;
  private int nextChunk = -1;

  ChunkReadAhead(FileIndex index) {
    this.index = index;
  }

  /** Chunk {@code c}'s records, in file order; starts parsing chunk {@code c + 1}. */
  List<DataChangeRecord> take(int c) {
    List<DataChangeRecord> chunk;
    if (next != null && nextChunk == c) {
      chunk = await(next);
    } else {
      cancel();
      chunk = index.readChunk(c);
    }
    next = null;
    if (c + 1 < index.chunks()) {
      int ahead = c + 1;
      nextChunk = ahead;
      next = thread().submit(() -> index.readChunk(ahead));
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
    if (next != null) {
      next.cancel(true);
      next = null;
    }
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
