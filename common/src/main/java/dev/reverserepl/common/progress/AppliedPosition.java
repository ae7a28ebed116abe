package dev.reverserepl.common.progress;

import dev.reverserepl.common.change.ChangePosition;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * How far one {@code (shardId, partition)} stream has been applied to its MySQL shard: the epoch
 * and sequence of the last change handled (applied, skipped as not replicated, or dead-lettered),
 * its commit {@link ChangePosition}, how many changes were applied in total and the newest
 * "published through" commit time seen from the ordering pipeline's progress markers. Written in
 * the same MySQL transaction as the rows it describes.
 *
 * <p>{@code completeCommitNanos} is the commit time of the last <em>complete</em> Spanner
 * transaction handled: the commit of the last change marked end-of-transaction. A Spanner
 * transaction larger than one MySQL batch is split over several MySQL transactions; until its last
 * change is in, the stream is complete only through the transaction before it, and cut-back
 * readiness reads this value, never {@code position}. {@link Long#MIN_VALUE} = none yet.
 *
 * <p>{@code epoch == 0 && sequence == 0} with {@link ChangePosition#START} means "nothing applied
 * yet".
 */
public record AppliedPosition(
    String shardId,
    int partition,
    long epoch,
    long sequence,
    ChangePosition position,
    long appliedCount,
    long publishedThroughNanos,
    Instant updatedAt,
    long completeCommitNanos)
    implements Serializable {

  /** A position whose last change ends its Spanner transaction (so complete through its commit). */
  public AppliedPosition(
      String shardId,
      int partition,
      long epoch,
      long sequence,
      ChangePosition position,
      long appliedCount,
      long publishedThroughNanos,
      Instant updatedAt) {
    this(
        shardId,
        partition,
        epoch,
        sequence,
        position,
        appliedCount,
        publishedThroughNanos,
        updatedAt,
        Objects.requireNonNull(position, "position").commitNanos());
  }

  public AppliedPosition {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(position, "position");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0: " + partition);
    }
  }

  /** The position of a stream nothing has been applied to. */
  public static AppliedPosition initial(String shardId, int partition) {
    return new AppliedPosition(
        shardId, partition, 0, 0, ChangePosition.START, 0, 0, Instant.EPOCH, Long.MIN_VALUE);
  }

  public boolean isInitial() {
    return epoch == 0 && sequence == 0 && ChangePosition.START.equals(position);
  }

  /** True when a change at {@code p} is already reflected in MySQL. */
  public boolean covers(ChangePosition p) {
    return p.compareTo(position) <= 0;
  }

  public AppliedPosition withPublishedThroughNanos(long nanos) {
    return new AppliedPosition(
        shardId,
        partition,
        epoch,
        sequence,
        position,
        appliedCount,
        nanos,
        updatedAt,
        completeCommitNanos);
  }

  /**
   * A copy complete through {@code nanos} (the commit of the last change that ended its Spanner
   * transaction).
   */
  public AppliedPosition withCompleteCommitNanos(long nanos) {
    return new AppliedPosition(
        shardId,
        partition,
        epoch,
        sequence,
        position,
        appliedCount,
        publishedThroughNanos,
        updatedAt,
        nanos);
  }

  /**
   * A copy at another epoch and sequence with the same position (a run made only of duplicates).
   */
  public AppliedPosition atSequence(long newEpoch, long newSequence, Instant now) {
    return new AppliedPosition(
        shardId,
        partition,
        newEpoch,
        newSequence,
        position,
        appliedCount,
        publishedThroughNanos,
        now,
        completeCommitNanos);
  }

  /** True when {@code (epoch, sequence)} is after this position's. */
  public boolean isBefore(long otherEpoch, long otherSequence) {
    return epoch < otherEpoch || (epoch == otherEpoch && sequence < otherSequence);
  }

  public AppliedPosition advancedTo(
      long newEpoch, long newSequence, ChangePosition newPosition, long applied, Instant now) {
    return new AppliedPosition(
        shardId,
        partition,
        newEpoch,
        newSequence,
        newPosition,
        appliedCount + applied,
        publishedThroughNanos,
        now,
        completeCommitNanos);
  }
}
