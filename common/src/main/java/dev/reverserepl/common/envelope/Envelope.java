package dev.reverserepl.common.envelope;

import dev.reverserepl.common.change.SequencedChange;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The unit the ordering pipeline publishes and the writer pipeline consumes: a run of consecutive
 * changes of one {@code (shardId, partition, epoch)} stream, or — when {@code changes} is empty — a
 * progress marker.
 *
 * <p>Rules checked on construction:
 *
 * <ol>
 *   <li>Sequences are contiguous: {@code changes[i].sequence == firstSequence + i} and the last one
 *       is {@code lastSequence}.
 *   <li>A marker has no changes and {@code firstSequence == lastSequence + 1}: it says "every
 *       change of this stream up to {@code lastSequence} has been published, and with it everything
 *       committed up to {@code publishedThroughNanos}".
 *   <li>Every change belongs to the envelope's shard, partition and epoch.
 * </ol>
 */
public record Envelope(
    String shardId,
    int partition,
    long epoch,
    long firstSequence,
    long lastSequence,
    long publishedThroughNanos,
    List<SequencedChange> changes)
    implements Serializable {

  public static final int FORMAT_VERSION = 1;
  public static final String ATTR_SHARD_ID = "shardId";
  public static final String ATTR_PARTITION = "partition";
  public static final String ATTR_EPOCH = "epoch";
  public static final String ATTR_FIRST_SEQUENCE = "firstSeq";
  public static final String ATTR_LAST_SEQUENCE = "lastSeq";

  public Envelope {
    Objects.requireNonNull(shardId, "shardId");
    changes = List.copyOf(changes);
    if (changes.isEmpty()) {
      if (firstSequence != lastSequence + 1) {
        throw new IllegalArgumentException(
            "a marker must have firstSequence == lastSequence + 1, got "
                + firstSequence
                + ".."
                + lastSequence);
      }
    } else {
      if (lastSequence - firstSequence + 1 != changes.size()) {
        throw new IllegalArgumentException(
            "sequence range "
                + firstSequence
                + ".."
                + lastSequence
                + " does not match "
                + changes.size()
                + " changes");
      }
      long expected = firstSequence;
      for (SequencedChange c : changes) {
        if (c.sequence() != expected
            || !c.shardId().equals(shardId)
            || c.partition() != partition
            || c.epoch() != epoch) {
          throw new IllegalArgumentException(
              "change "
                  + c.sequence()
                  + " of "
                  + c.shardId()
                  + "/"
                  + c.partition()
                  + "/"
                  + c.epoch()
                  + " does not fit envelope "
                  + shardId
                  + "/"
                  + partition
                  + "/"
                  + epoch
                  + " at sequence "
                  + expected);
        }
        expected++;
      }
    }
  }

  public static Envelope marker(
      String shardId, int partition, long epoch, long lastSequence, long publishedThroughNanos) {
    return new Envelope(
        shardId,
        partition,
        epoch,
        lastSequence + 1,
        lastSequence,
        publishedThroughNanos,
        List.of());
  }

  public boolean isMarker() {
    return changes.isEmpty();
  }

  /** Message attributes (Pub/Sub) or headers (Kafka) that let a subscription filter by shard. */
  public Map<String, String> attributes() {
    return Map.of(
        ATTR_SHARD_ID, shardId,
        ATTR_PARTITION, Integer.toString(partition),
        ATTR_EPOCH, Long.toString(epoch),
        ATTR_FIRST_SEQUENCE, Long.toString(firstSequence),
        ATTR_LAST_SEQUENCE, Long.toString(lastSequence));
  }
}
