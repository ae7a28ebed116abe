package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ProgressWaitColumns;
import dev.reverserepl.common.progress.StreamWait;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardUnavailableException;
import dev.reverserepl.writer.retry.FailureKind;
import dev.reverserepl.writer.retry.Retrier;
import dev.reverserepl.writer.retry.RetryConfig;
import dev.reverserepl.writer.retry.RetryStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resequencer's own MySQL accesses of one shard — the start position of a stream with empty
 * state and its waiting state in the progress row — each under the same {@link RetryConfig} as the
 * apply path (rule 14): a shard that is down when a stream starts is waited for within the budget,
 * announced by one log line naming the shard and its host:port.
 */
final class StreamBookkeeping {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBookkeeping.class);

  private final Shard shard;
  private final DataSource dataSource;
  private final ProgressWaitColumns waits;
  private final RetryConfig retry;
  private final RetryStrategy strategy;
  private volatile boolean columnsReady;

  StreamBookkeeping(
      Shard shard,
      DataSource dataSource,
      String progressTable,
      RetryConfig retry,
      RetryStrategy strategy) {
    this.shard = shard;
    this.dataSource = dataSource;
    this.waits = new ProgressWaitColumns(new ProgressTable(progressTable));
    this.retry = retry;
    this.strategy = strategy;
  }

  private String where() {
    return "shard " + shard.logicalShardId() + " (" + shard.host() + ":" + shard.port() + ")";
  }

  /**
   * The applied position of {@code partition}, waiting within the retry budget while the shard is
   * down.
   */
  AppliedPosition startPosition(ShardApplier applier, int partition) {
    return withRetry(
        "read the applied position of partition " + partition,
        () -> {
          // Reach the shard here first, so that a shard down at start is waited for within this
          // budget and said once;
          // past the start, the applier holds shard faults itself (rule 4).
          try (Connection probe = dataSource.getConnection()) {
            probe.isValid(5);
          }
          AppliedPosition p = applier.position(partition);
          ensureColumns();
          return p;
        });
  }

  /**
   * Records that a stream waits (rule 13); a shard that stays down only costs the record, never the
   * stream.
   */
  void markWaiting(StreamWait w) {
    bestEffort(
        "record the waiting state",
        () -> {
          ensureColumns();
          try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            waits.mark(c, w);
          }
          return null;
        });
  }

  void clearWaiting(int partition) {
    bestEffort(
        "clear the waiting state",
        () -> {
          ensureColumns();
          try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            waits.clear(c, shard.logicalShardId(), partition);
          }
          return null;
        });
  }

  private void ensureColumns() throws SQLException {
    if (!columnsReady) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        waits.addIfMissing(c);
      }
      columnsReady = true;
    }
  }

  private void bestEffort(String what, SqlCall<Void> call) {
    try {
      withRetry(what, call);
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot {}: {}", where(), what, e.getMessage());
    }
  }

  interface SqlCall<T> {
    T call() throws SQLException;
  }

  private <T> T withRetry(String what, SqlCall<T> call) {
    Retrier r = new Retrier(retry);
    boolean announced = false;
    while (true) {
      r.attempted();
      try {
        T result = call.call();
        if (announced) {
          LOG.info("{} is reachable again after {} attempts", where(), r.attempts());
        }
        return result;
      } catch (SQLException e) {
        if (strategy.classify(e) != FailureKind.SHARD) {
          throw new IllegalStateException(where() + ": cannot " + what + ": " + e.getMessage(), e);
        }
        if (!announced) {
          announced = true;
          LOG.warn(
              "{} is not reachable ({}); waiting within the retry budget ({} attempts, {} s) to {}",
              where(),
              e.getMessage(),
              retry.maxAttempts(),
              retry.maxTotalDuration().toSeconds(),
              what);
        }
        backOff(r, e);
      }
    }
  }

  private void backOff(Retrier r, SQLException e) {
    try {
      if (r.backOff()) {
        return;
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    throw new ShardUnavailableException(
        shard.logicalShardId() + " (" + shard.host() + ":" + shard.port() + ")", r.attempts(), e);
  }
}
