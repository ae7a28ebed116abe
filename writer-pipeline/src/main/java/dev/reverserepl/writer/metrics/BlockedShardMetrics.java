package dev.reverserepl.writer.metrics;

import dev.reverserepl.common.progress.BlockedStatus;
import dev.reverserepl.writer.apply.ShardHealthListener;
import java.time.Duration;
import java.time.Instant;

/**
 * Blocks as metrics: {@code shardBlockedAttempts.<shard>} counts attempts refused by the shard
 * while blocked, and {@code blockedSeconds.<shard>} is how long the shard has been blocked (0 once
 * it applies again).
 */
public final class BlockedShardMetrics implements ShardHealthListener {
  @Override
  public void blocked(BlockedStatus status) {
    WriterMetrics.inc(WriterMetrics.SHARD_BLOCKED, status.shardId(), 1);
    WriterMetrics.gauge(WriterMetrics.BLOCKED_SECONDS, status.shardId())
        .set(Math.max(0, Duration.between(status.since(), Instant.now()).toSeconds()));
  }

  @Override
  public void resumed(String shardId, int partition, Duration blockedFor) {
    WriterMetrics.gauge(WriterMetrics.BLOCKED_SECONDS, shardId).set(0);
  }
}
