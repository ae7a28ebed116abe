package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ValueState;

/** {@link ResequenceState} over the Beam state cells of {@link ResequenceAndApplyFn}. */
final class BeamResequenceState implements ResequenceState {
  private final ValueState<Long> epoch;
  private final ValueState<Long> next;
  private final ValueState<Long> pendingCount;
  private final MapState<Long, Envelope> pending;
  private final ValueState<Envelope> marker;

  BeamResequenceState(
      ValueState<Long> epoch,
      ValueState<Long> next,
      ValueState<Long> pendingCount,
      MapState<Long, Envelope> pending,
      ValueState<Envelope> marker) {
    this.epoch = epoch;
    this.next = next;
    this.pendingCount = pendingCount;
    this.pending = pending;
    this.marker = marker;
  }

  @Override
  public Long epoch() {
    return epoch.read();
  }

  @Override
  public void setEpoch(long value) {
    epoch.write(value);
  }

  @Override
  public long nextSequence() {
    Long v = next.read();
    return v == null ? 1 : v;
  }

  @Override
  public void setNextSequence(long value) {
    next.write(value);
  }

  @Override
  public Envelope pending(long firstSequence) {
    return pending.get(firstSequence).read();
  }

  @Override
  public void putPending(Envelope e) {
    pending.put(e.firstSequence(), e);
    pendingCount.write(pendingCount() + 1);
  }

  @Override
  public void removePending(long firstSequence) {
    pending.remove(firstSequence);
    pendingCount.write(Math.max(0, pendingCount() - 1));
  }

  @Override
  public void clearPending() {
    pending.clear();
    pendingCount.write(0L);
  }

  @Override
  public long pendingCount() {
    Long v = pendingCount.read();
    return v == null ? 0 : v;
  }

  @Override
  public Envelope pendingMarker() {
    return marker.read();
  }

  @Override
  public void setPendingMarker(Envelope m) {
    if (m == null) {
      marker.clear();
    } else {
      marker.write(m);
    }
  }
}
