package dev.reverserepl.ordering.sequence;

import java.io.Serializable;

/**
 * How the per-key sequencer buffers, numbers and batches changes.
 *
 * @param epoch identifies the run; sequences restart at 1 in every epoch
 * @param bucketMillis width of a commit-time bucket; one bucket is the slice the sequencer
 *     materialises at once
 * @param maxChangesPerEnvelope most changes in one published envelope
 * @param maxEnvelopeBytes approximate upper bound of one encoded envelope
 */
public record SequencerConfig(
    long epoch, long bucketMillis, int maxChangesPerEnvelope, long maxEnvelopeBytes)
    implements Serializable {

  public static final long DEFAULT_BUCKET_MILLIS = 1_000;
  public static final int DEFAULT_MAX_CHANGES_PER_ENVELOPE = 500;
  public static final long DEFAULT_MAX_ENVELOPE_BYTES = 512 * 1024;

  public SequencerConfig {
    if (bucketMillis < 1) {
      throw new IllegalArgumentException("sequencerBucketMillis must be >= 1: " + bucketMillis);
    }
    if (maxChangesPerEnvelope < 1) {
      throw new IllegalArgumentException(
          "maxChangesPerEnvelope must be >= 1: " + maxChangesPerEnvelope);
    }
    if (maxEnvelopeBytes < 1024) {
      throw new IllegalArgumentException("maxEnvelopeBytes must be >= 1024: " + maxEnvelopeBytes);
    }
  }

  public static SequencerConfig defaults(long epoch) {
    return new SequencerConfig(
        epoch, DEFAULT_BUCKET_MILLIS, DEFAULT_MAX_CHANGES_PER_ENVELOPE, DEFAULT_MAX_ENVELOPE_BYTES);
  }

  public SequencerConfig withEpoch(long v) {
    return new SequencerConfig(v, bucketMillis, maxChangesPerEnvelope, maxEnvelopeBytes);
  }

  public SequencerConfig withBucketMillis(long v) {
    return new SequencerConfig(epoch, v, maxChangesPerEnvelope, maxEnvelopeBytes);
  }

  public SequencerConfig withMaxChangesPerEnvelope(int v) {
    return new SequencerConfig(epoch, bucketMillis, v, maxEnvelopeBytes);
  }

  public SequencerConfig withMaxEnvelopeBytes(long v) {
    return new SequencerConfig(epoch, bucketMillis, maxChangesPerEnvelope, v);
  }

  /** The bucket a commit time (epoch millis) falls in. */
  public long bucketOf(long commitMillis) {
    return Math.floorDiv(commitMillis, bucketMillis);
  }

  /**
   * Last millisecond inside the bucket: once the watermark is past it, the bucket can receive
   * nothing more.
   */
  public long bucketLastMillis(long bucket) {
    return (bucket + 1) * bucketMillis - 1;
  }

  /** Every commit before the end of {@code bucket}, in epoch nanos (inclusive). */
  public long bucketThroughNanos(long bucket) {
    return (bucket + 1) * bucketMillis * 1_000_000L - 1;
  }
}
