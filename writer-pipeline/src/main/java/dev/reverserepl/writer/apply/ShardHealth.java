package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.BlockedStatus;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ShardStatusTable;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Rule 4: whether each stream of a shard is blocked by a fault of the shard. A stream counts as
 * blocked from its {@value #BLOCKED_AFTER}th consecutive failed attempt (one deadlock is routine,
 * not a block); from then on every attempt updates the shard's {@code <progress>_status} row (best
 * effort: a shard that refuses writes may refuse it too), the listener (metrics) hears of it, and
 * one log line names the shard, the partition and the error; the first committed transaction
 * afterwards clears the row and logs how long the block lasted.
 */
final class ShardHealth {
  static final int BLOCKED_AFTER = 3;
  private static final Logger LOG = Logger.getLogger(ShardHealth.class.getName());

  private final String shardId;
  private final DataSource dataSource;
  private final ProgressTable progress;
  private final ShardStatusTable statusTable;
  private final ShardHealthListener listener;
  private final Map<Integer, BlockedStatus> blocked = new ConcurrentHashMap<>();

  ShardHealth(
      String shardId, DataSource dataSource, ProgressTable progress, ShardHealthListener listener) {
    this.shardId = shardId;
    this.dataSource = dataSource;
    this.progress = progress;
    this.statusTable = new ShardStatusTable(progress);
    this.listener = listener;
  }

  /**
   * A failed attempt that was the shard's fault; {@code attempts} consecutive ones so far, next
   * wait {@code wait}.
   */
  void failed(int partition, Throwable error, int attempts, Duration wait) {
    if (attempts < BLOCKED_AFTER) {
      LOG.fine(
          () ->
              "shard "
                  + shardId
                  + " partition "
                  + partition
                  + ": retrying in "
                  + wait.toMillis()
                  + " ms: "
                  + error.getMessage());
      return;
    }
    SQLException sql = firstSqlException(error);
    Instant now = Instant.now();
    BlockedStatus previous = blocked.get(partition);
    BlockedStatus status =
        new BlockedStatus(
            shardId,
            partition,
            previous == null ? now : previous.since(),
            attempts,
            sql == null ? 0 : sql.getErrorCode(),
            sql == null ? "" : sql.getSQLState(),
            MySqlRetryStrategy.reason(error),
            String.valueOf(error.getMessage()),
            now);
    blocked.put(partition, status);
    if (previous == null || previous.errorCode() != status.errorCode()) {
      LOG.warning(
          "shard "
              + shardId
              + " partition "
              + partition
              + " is blocked by the shard ("
              + status.reason()
              + ", error "
              + status.errorCode()
              + " ["
              + status.sqlState()
              + "] "
              + status.message()
              + "); nothing is dead-lettered, retrying with backoff up to "
              + wait.toMillis()
              + " ms until it clears");
    }
    listener.blocked(status);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      statusTable.write(c, status);
    } catch (SQLException e) {
      LOG.log(Level.FINE, "shard " + shardId + ": cannot record the blocked status", e);
    }
  }

  /** Whether the stream is marked blocked (its next commit clears the status row). */
  boolean blocked(int partition) {
    return blocked.containsKey(partition);
  }

  /** A committed transaction: the stream is not blocked (any more). */
  void succeeded(int partition) {
    BlockedStatus was = blocked.remove(partition);
    if (was == null) {
      return;
    }
    Duration lasted = Duration.between(was.since(), Instant.now());
    LOG.info(
        "shard "
            + shardId
            + " partition "
            + partition
            + " applies again after being blocked for "
            + lasted.toSeconds()
            + " s ("
            + was.reason()
            + ", "
            + was.attempts()
            + " attempts)");
    listener.resumed(shardId, partition, lasted);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      statusTable.clear(c, shardId, partition);
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "shard " + shardId + ": cannot clear the blocked status row", e);
    }
  }

  private static SQLException firstSqlException(Throwable t) {
    for (Throwable x = t; x != null && x.getCause() != x; x = x.getCause()) {
      if (x instanceof SQLException e) {
        return e;
      }
    }
    return null;
  }
}
