package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.routing.RoutingResult;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.ordering.filter.RecordFilter;
import dev.reverserepl.ordering.source.FileScan;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StaleRead} of rule R2 over a bounded set of change-record files: a delete whose keys
 * lack the shard-id column takes the shard its row was routed to just before it ({@link
 * FileHistory}).
 *
 * <p>The history is built once per process from every file, with the same filter and router as the
 * pipeline, and shared by every reader of the same {@link Source} (a reference-counted pool: a
 * worker's DoFn instances would otherwise each read all files). A caller may {@link Source#open}
 * one before running the pipeline so that the build happens before the read starts.
 */
public final class FileHistoryRead implements StaleRead {
  private static final Logger LOG = LoggerFactory.getLogger(FileHistoryRead.class);
  private static final Map<String, Pooled> POOL = new HashMap<>();

  private final Source source;
  private final FileHistory history;
  private final FileHistory.Digest digest = new FileHistory.Digest();
  private boolean closed;

  private FileHistoryRead(Source source, FileHistory history) {
    this.source = source;
    this.history = history;
  }

  /** What to build the history from; serializable, so that the routing DoFn carries it. */
  public record Source(
      String id, String path, RecordFilter filter, ShardRouter router, Set<String> historyTables)
      implements StaleRead.Factory {

    public Source {
      historyTables = Set.copyOf(historyTables);
    }

    @Override
    public FileHistoryRead open() {
      return new FileHistoryRead(this, acquire(this, this::build));
    }

    /**
     * Opens a reader on a history already collected by {@link #collector} (the pool keeps it for
     * every later {@link #open} while a reader is open).
     */
    public FileHistoryRead open(Collector collected) {
      return new FileHistoryRead(this, acquire(this, collected::build));
    }

    /** Collects the history from records given one at a time, in any order. */
    public Collector collector() {
      return new Collector(this);
    }

    FileHistory build() {
      Collector c = collector();
      if (historyTables.isEmpty()) {
        return c.build();
      }
      long started = System.nanoTime();
      // the scan also indexes the files for a paced read; a worker's index is small and dropped
      long records = FileScan.of(path, c).records();
      FileHistory h = c.build();
      LOG.info(
          "routing: history of {} routed change(s) in {} record(s) of {}, {} kept, in {} ms",
          h.sightings(),
          records,
          path,
          h.kept(),
          (System.nanoTime() - started) / 1_000_000);
      return h;
    }
  }

  /** The routed changes of the history tables among the records it is given. */
  public static final class Collector implements Consumer<DataChangeRecord> {
    private final Source source;
    private final FileHistory.Builder builder = new FileHistory.Builder();

    private Collector(Source source) {
      this.source = source;
    }

    @Override
    public void accept(DataChangeRecord r) {
      if (!source.historyTables().contains(r.getTableName())
          || source.filter().verdict(r) != RecordFilter.Verdict.KEEP) {
        return;
      }
      for (Change c : ChangeRecordReader.toChanges(r)) {
        if (source.router().route(c) instanceof RoutingResult.Routed routed) {
          builder.add(c, routed.shardId());
        }
      }
    }

    FileHistory build() {
      return builder.build();
    }
  }

  /**
   * A source over the files at {@code path} for the tables whose deletes can lack the shard-id
   * column ({@link SplitForHistoryFn#historyTables}).
   */
  public static Source source(
      String path, SessionMapping session, RecordFilter filter, ShardRouter router) {
    return new Source(
        UUID.randomUUID().toString(),
        path,
        filter,
        router,
        new HashSet<>(SplitForHistoryFn.historyTables(session)));
  }

  public FileHistory history() {
    return history;
  }

  public Source source() {
    return source;
  }

  /**
   * Asked by routing only for deletes lacking the shard-id column ({@link Origin#FILE_HISTORY}).
   */
  @Override
  public String shardAt(Change change, TableMapping table) {
    return history.shardBefore(change, digest);
  }

  @Override
  public Origin origin() {
    return Origin.FILE_HISTORY;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release(source.id());
    }
  }

  private record Pooled(FileHistory history, int users) {}

  private static synchronized FileHistory acquire(Source source, Supplier<FileHistory> build) {
    Pooled p = POOL.get(source.id());
    FileHistory h = p != null ? p.history() : build.get();
    POOL.put(source.id(), new Pooled(h, p == null ? 1 : p.users() + 1));
    return h;
  }

  private static synchronized void release(String id) {
    Pooled p = POOL.get(id);
    if (p == null) {
      return;
    }
    if (p.users() <= 1) {
      POOL.remove(id);
    } else {
      POOL.put(id, new Pooled(p.history(), p.users() - 1));
    }
  }
}
