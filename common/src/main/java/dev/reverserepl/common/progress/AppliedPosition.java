package dev.reverserepl.common.progress;

import dev.reverserepl.common.change.ChangePosition;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * How far one {@code (shardId, partition)} stream has been applied to its MySQL shard: the epoch and sequence of the
 * last change handled (applied, skipped as not replicated, or dead-lettered), its commit {@link ChangePosition},
 * how many changes were applied in total and the newest "published through" commit time seen from the ordering
 * pipeline's progress markers. Written in the same MySQL transaction as the rows it describes.
 *
 * <p>{@code epoch == 0 && sequence == 0} with {@link ChangePosition#START} means "nothing applied yet".
 */
public record AppliedPosition(
    String shardId,
    int partition,
    long epoch,
    long sequence,
    ChangePosition position,
    long appliedCount,
    long publishedThroughNanos,
    Instant updatedAt)
    implements Serializable {

  public AppliedPosition {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(position, "position");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0: " + partition);
    }
  }

  /** The position of a stream nothing has been applied to. */
  public static AppliedPosition initial(String shardId, int partition) {
    return new AppliedPosition(shardId, partition, 0, 0, ChangePosition.START, 0, 0, Instant.EPOCH);
  }

  public boolean isInitial() {
    return epoch == 0 && sequence == 0 && ChangePosition.START.equals(position);
  }

  /** True when a change at {@code p} is already reflected in MySQL. */
  public boolean covers(ChangePosition p) {
    return p.compareTo(position) <= 0;
  }

  public AppliedPosition withPublishedThroughNanos(long nanos) {
    return new AppliedPosition(shardId, partition, epoch, sequence, position, appliedCount, nanos, updatedAt);
  }

  public AppliedPosition advancedTo(long newEpoch, long newSequence, ChangePosition newPosition, long applied, Instant now) {
    return new AppliedPosition(
        shardId, partition, newEpoch, newSequence, newPosition, appliedCount + applied, publishedThroughNanos, now);
  }
}
