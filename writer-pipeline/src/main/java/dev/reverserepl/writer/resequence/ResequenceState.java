package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;

/** The per-{@code (shard, partition)} state the {@link Resequencer} works on (Beam state in the pipeline). */
public interface ResequenceState {
  /** The epoch being applied; null before the first envelope. */
  Long epoch();

  void setEpoch(long epoch);

  /** The next sequence to release within {@link #epoch()}. */
  long nextSequence();

  void setNextSequence(long next);

  /** A buffered envelope starting at {@code firstSequence}, or null. */
  Envelope pending(long firstSequence);

  void putPending(Envelope e);

  void removePending(long firstSequence);

  void clearPending();

  long pendingCount();

  /** The furthest progress marker not yet reachable, or null. */
  Envelope pendingMarker();

  void setPendingMarker(Envelope marker);
}
