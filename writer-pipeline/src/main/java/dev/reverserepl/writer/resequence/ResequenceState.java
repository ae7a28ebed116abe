package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;
import java.util.List;

/**
 * The per-{@code (shard, partition)} state the {@link Resequencer} works on (Beam state in the
 * pipeline). The pending buffer is append-only between releases and described by a {@link
 * PendingIndex}, so it maps onto a bag plus a value cell: the kinds every runner supports.
 */
public interface ResequenceState {
  /** The epoch being applied; null before the first envelope. */
  Long epoch();

  void setEpoch(long epoch);

  /** The next sequence to release within {@link #epoch()}. */
  long nextSequence();

  void setNextSequence(long next);

  /** What the pending buffer holds; {@link PendingIndex#EMPTY} when nothing. */
  PendingIndex index();

  /** Appends {@code e} to the buffer; {@code index} already describes it. */
  void addPending(Envelope e, PendingIndex index);

  /** Every buffered envelope, in no particular order. */
  List<Envelope> readPending();

  /** Replaces the buffer by {@code remaining}, described by {@code index}. */
  void replacePending(List<Envelope> remaining, PendingIndex index);

  default void clearPending() {
    replacePending(List.of(), PendingIndex.EMPTY);
  }

  default long pendingCount() {
    return index().envelopes();
  }

  /** The furthest progress marker not yet reachable, or null. */
  Envelope pendingMarker();

  void setPendingMarker(Envelope marker);
}
