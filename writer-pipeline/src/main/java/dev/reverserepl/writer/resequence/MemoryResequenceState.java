package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;
import java.util.HashMap;
import java.util.Map;

/** {@link ResequenceState} on the heap, for callers without Beam (benchmarks, tests). */
public final class MemoryResequenceState implements ResequenceState {
  private Long epoch;
  private long next;
  private final Map<Long, Envelope> pending = new HashMap<>();
  private Envelope marker;

  @Override
  public Long epoch() {
    return epoch;
  }

  @Override
  public void setEpoch(long epoch) {
    this.epoch = epoch;
  }

  @Override
  public long nextSequence() {
    return next;
  }

  @Override
  public void setNextSequence(long next) {
    this.next = next;
  }

  @Override
  public Envelope pending(long firstSequence) {
    return pending.get(firstSequence);
  }

  @Override
  public void putPending(Envelope e) {
    pending.put(e.firstSequence(), e);
  }

  @Override
  public void removePending(long firstSequence) {
    pending.remove(firstSequence);
  }

  @Override
  public void clearPending() {
    pending.clear();
  }

  @Override
  public long pendingCount() {
    return pending.size();
  }

  @Override
  public Envelope pendingMarker() {
    return marker;
  }

  @Override
  public void setPendingMarker(Envelope marker) {
    this.marker = marker;
  }
}
