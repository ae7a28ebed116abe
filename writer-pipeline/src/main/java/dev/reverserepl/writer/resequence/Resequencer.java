package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.AppliedPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Puts the envelopes of one {@code (shard, partition)} back into sequence order.
 *
 * <p>Rules (numbered as in the module README):
 *
 * <ul>
 *   <li>1. Only the contiguous run after the last released sequence is released; later envelopes wait in state.
 *   <li>2. Anything at or below the last released sequence is a duplicate and is dropped (counted).
 *   <li>7. A higher epoch replaces the current one: sequences restart at 1, buffered envelopes of the old epoch are
 *       dropped (the new epoch re-publishes from the applied commit position, which the applier enforces), and any
 *       later envelope of an older epoch is dropped as stale (counted). With empty state (a new job) the epoch and
 *       sequence start from the shard's progress row, so redelivered envelopes of the applied epoch are duplicates;
 *       without a row, from sequence 1 of the first epoch seen.
 *   <li>10. A progress marker counts once every change before it is released.
 * </ul>
 */
public final class Resequencer {
  private Resequencer() {}

  public static Release offer(ResequenceState s, Envelope e, Supplier<AppliedPosition> applied) {
    if (s.epoch() == null) {
      AppliedPosition p = applied.get();
      if (p.isInitial() || p.epoch() < e.epoch()) {
        s.setEpoch(e.epoch());
        s.setNextSequence(1);
      } else {
        s.setEpoch(p.epoch());
        s.setNextSequence(p.sequence() + 1);
      }
    }
    long epoch = s.epoch();
    if (e.epoch() < epoch) {
      return new Release(epoch, List.of(), 0, e.changes().size(), false, 0, -1);
    }
    if (e.epoch() > epoch) {
      s.setEpoch(e.epoch());
      s.setNextSequence(1);
      s.clearPending();
      s.setPendingMarker(null);
      epoch = e.epoch();
    }
    long next = s.nextSequence();
    if (e.isMarker()) {
      if (e.lastSequence() < next) {
        return new Release(epoch, List.of(), 0, 0, false, e.publishedThroughNanos(), e.lastSequence());
      }
      Envelope m = s.pendingMarker();
      if (m == null || m.lastSequence() < e.lastSequence()) {
        s.setPendingMarker(e);
      }
      return new Release(epoch, List.of(), 0, 0, true, 0, -1);
    }
    if (e.lastSequence() < next) {
      return new Release(epoch, List.of(), e.changes().size(), 0, false, 0, -1);
    }
    if (e.firstSequence() > next) {
      if (s.pending(e.firstSequence()) != null) {
        return new Release(epoch, List.of(), e.changes().size(), 0, false, 0, -1);
      }
      s.putPending(e);
      return new Release(epoch, List.of(), 0, 0, true, 0, -1);
    }
    long duplicates = next - e.firstSequence();
    List<SequencedChange> run = new ArrayList<>(e.changes().subList((int) duplicates, e.changes().size()));
    long published = e.publishedThroughNanos();
    next = e.lastSequence() + 1;
    for (Envelope p = s.pending(next); p != null; p = s.pending(next)) {
      s.removePending(p.firstSequence());
      run.addAll(p.changes());
      published = Math.max(published, p.publishedThroughNanos());
      next = p.lastSequence() + 1;
    }
    s.setNextSequence(next);
    long markerSequence = -1;
    Envelope m = s.pendingMarker();
    if (m != null && m.lastSequence() < next) {
      s.setPendingMarker(null);
      published = Math.max(published, m.publishedThroughNanos());
      markerSequence = m.lastSequence();
    }
    return new Release(epoch, run, duplicates, 0, false, published, markerSequence);
  }
}
