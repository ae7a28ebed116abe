package dev.reverserepl.common.change;

import java.io.Serializable;
import java.util.Objects;

/**
 * A change as the ordering pipeline publishes it: its sequence number is gapless and increasing per
 * {@code (shardId, partition, epoch)}, starting at 1. {@code endOfTransaction} marks the last
 * change of a Spanner transaction within this key's stream.
 */
public record SequencedChange(
    String shardId,
    int partition,
    long epoch,
    long sequence,
    boolean endOfTransaction,
    Change change)
    implements Serializable {
  public SequencedChange {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(change, "change");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0: " + partition);
    }
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
    }
  }
}
