package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.ordering.OrderingMetrics;
import java.io.Serializable;

/**
 * Reads the shard a row held just before a change committed; null when the row had no shard then.
 */
public interface StaleRead extends AutoCloseable {
  String shardAt(Change change, TableMapping table);

  /** Where the read looks, which decides what it is asked, what a miss says and what is counted. */
  default Origin origin() {
    return Origin.SPANNER;
  }

  /** What a {@link StaleRead} reads. */
  enum Origin {
    /** Spanner at commit time − 1 µs; asked for every change the router cannot place (rule R1). */
    SPANNER(
        false,
        "a stale read of Spanner just before the commit found no shard either",
        OrderingMetrics.RESOLVED_BY_STALE_READ),
    /** The change-record files being replayed; asked only for deletes lacking the column (R2). */
    FILE_HISTORY(
        true,
        "and no earlier change of this row in the change-record files names its shard",
        OrderingMetrics.RESOLVED_BY_HISTORY);

    private final boolean onlyDeletesLackingShard;
    private final String missReason;
    private final String resolvedCounter;

    Origin(boolean onlyDeletesLackingShard, String missReason, String resolvedCounter) {
      this.onlyDeletesLackingShard = onlyDeletesLackingShard;
      this.missReason = missReason;
      this.resolvedCounter = resolvedCounter;
    }

    public boolean onlyDeletesLackingShard() {
      return onlyDeletesLackingShard;
    }

    public String missReason() {
      return missReason;
    }

    public String resolvedCounter() {
      return resolvedCounter;
    }
  }

  @Override
  void close();

  /**
   * Opens a {@link StaleRead} on a worker (the DoFn's setup); serializable so the DoFn can carry
   * it.
   */
  @FunctionalInterface
  interface Factory extends Serializable {
    StaleRead open();
  }

  static Factory spanner(SpannerCoordinates where) {
    return () -> StaleReadShardFetcher.open(where);
  }
}
