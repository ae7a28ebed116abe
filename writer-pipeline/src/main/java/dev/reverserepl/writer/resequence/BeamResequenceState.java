package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ValueState;

/**
 * {@link ResequenceState} over the Beam state cells of {@link ResequenceAndApplyFn}: value cells
 * for the epoch, the next sequence, the {@link PendingIndex} and the marker, and a bag of pending
 * envelopes that is appended to blindly and read only when a release needs it.
 */
final class BeamResequenceState implements ResequenceState {
  private final ValueState<Long> epoch;
  private final ValueState<Long> next;
  private final ValueState<PendingIndex> index;
  private final BagState<Envelope> pending;
  private final ValueState<Envelope> marker;

  BeamResequenceState(
      ValueState<Long> epoch,
      ValueState<Long> next,
      ValueState<PendingIndex> index,
      BagState<Envelope> pending,
      ValueState<Envelope> marker) {
    this.epoch = epoch;
    this.next = next;
    this.index = index;
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
  public PendingIndex index() {
    PendingIndex v = index.read();
    return v == null ? PendingIndex.EMPTY : v;
  }

  @Override
  public void addPending(Envelope e, PendingIndex newIndex) {
    pending.add(e);
    index.write(newIndex);
  }

  @Override
  public List<Envelope> readPending() {
    List<Envelope> out = new ArrayList<>();
    pending.read().forEach(out::add);
    return out;
  }

  @Override
  public void replacePending(List<Envelope> remaining, PendingIndex newIndex) {
    pending.clear();
    remaining.forEach(pending::add);
    if (newIndex.isEmpty()) {
      index.clear();
    } else {
      index.write(newIndex);
    }
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
