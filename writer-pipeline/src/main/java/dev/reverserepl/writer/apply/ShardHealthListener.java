package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.BlockedStatus;
import java.time.Duration;

/**
 * Hears when a stream is blocked by its shard and when it applies again (the pipeline turns these
 * into metrics).
 */
public interface ShardHealthListener {
  ShardHealthListener NONE = new ShardHealthListener() {};

  /** Called on every failed attempt once the stream counts as blocked. */
  default void blocked(BlockedStatus status) {}

  default void resumed(String shardId, int partition, Duration blockedFor) {}
}
