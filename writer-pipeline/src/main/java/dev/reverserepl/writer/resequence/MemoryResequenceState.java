package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.envelope.Envelope;
import java.util.ArrayList;
import java.util.List;

/** {@link ResequenceState} on the heap, for callers without Beam (benchmarks, tests). */
public final class MemoryResequenceState implements ResequenceState {
  private Long epoch;
  private long next;
  private List<Envelope> pending = new ArrayList<>();
  private PendingIndex index = PendingIndex.EMPTY;
  private Envelope marker;
  private int bufferReads;

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
  public PendingIndex index() {
    return index;
  }

  @Override
  public void addPending(Envelope e, PendingIndex newIndex) {
    pending.add(e);
    index = newIndex;
  }

  @Override
  public List<Envelope> readPending() {
    bufferReads++;
    return List.copyOf(pending);
  }

  @Override
  public void replacePending(List<Envelope> remaining, PendingIndex newIndex) {
    pending = new ArrayList<>(remaining);
    index = newIndex;
  }

  @Override
  public Envelope pendingMarker() {
    return marker;
  }

  @Override
  public void setPendingMarker(Envelope marker) {
    this.marker = marker;
  }

  /** How often the whole buffer was read (each read is one bag read in Beam state). */
  public int bufferReads() {
    return bufferReads;
  }
}
