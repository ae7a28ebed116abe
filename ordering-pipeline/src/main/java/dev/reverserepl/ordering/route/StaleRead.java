package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.session.TableMapping;
import java.io.Serializable;

/**
 * Reads the shard a row held just before a change committed; null when the row had no shard then.
 */
public interface StaleRead extends AutoCloseable {
  String shardAt(Change change, TableMapping table);

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
