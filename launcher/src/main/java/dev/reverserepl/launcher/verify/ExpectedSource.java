package dev.reverserepl.launcher.verify;

import java.util.Iterator;
import java.util.Optional;

/** The rows a shard should hold, per table, as canonical rows in source primary-key order. */
interface ExpectedSource extends AutoCloseable {
  /**
   * Every expected row of {@code shape}'s table on {@code shardId}; the iterator may hold a query
   * open.
   */
  Iterator<CanonicalRow> rows(TableShape shape, String shardId);

  /** The expected row with {@code key}'s key, read again (for the re-check after a delay). */
  Optional<CanonicalRow> lookup(TableShape shape, String shardId, CanonicalRow key);

  /** Where the expectation comes from, for the report. */
  String describe();

  @Override
  default void close() {}
}
