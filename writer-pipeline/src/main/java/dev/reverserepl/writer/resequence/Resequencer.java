package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.AppliedPosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Puts the envelopes of one {@code (shard, partition)} back into sequence order.
 *
 * <p>Rules (numbered as in the module README):
 *
 * <ul>
 *   <li>1. Only the contiguous run after the last released sequence is released; later envelopes
 *       wait in state.
 *   <li>2. Anything at or below the last released sequence, or already buffered, is a duplicate and
 *       is dropped (counted).
 *   <li>7. A higher epoch replaces the current one: sequences restart at 1, buffered envelopes of
 *       the old epoch are dropped (the new epoch re-publishes from the applied commit position,
 *       which the applier enforces), and any later envelope of an older epoch is dropped as stale
 *       (counted). With empty state (a new job) the epoch and sequence start from the shard's
 *       progress row, so redelivered envelopes of the applied epoch are duplicates; without a row,
 *       from sequence 1 of the first epoch seen.
 *   <li>10. A progress marker counts once every change before it is released.
 *   <li>11. A filled gap releases at most {@code maxReleaseChanges} buffered changes at a time;
 *       {@link Release#more()} tells the caller to continue with {@link #resume}. The buffer is
 *       read only when its index says the next sequence is in it: an out-of-order envelope costs
 *       one index read and one append.
 *   <li>12. The buffer holds at most {@code maxBufferedChanges} changes (always at least one
 *       envelope): an envelope beyond it is dropped from state and counted; nothing past the gap is
 *       applied, so the shard's progress row still ends before it and a re-publication from that
 *       row (a new ordering epoch) brings it back.
 * </ul>
 */
public final class Resequencer {
  private static final Comparator<Envelope> BY_SEQUENCE =
      Comparator.comparingLong(Envelope::firstSequence)
          .thenComparing(Envelope::lastSequence, Comparator.reverseOrder());

  private Resequencer() {}

  public static Release offer(ResequenceState s, Envelope e, Supplier<AppliedPosition> applied) {
    return offer(s, e, applied, ResequenceSettings.DEFAULT);
  }

  public static Release offer(
      ResequenceState s, Envelope e, Supplier<AppliedPosition> applied, ResequenceSettings limits) {
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
      return new Release(epoch, List.of(), 0, e.changes().size(), 0, false, false, 0, -1);
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
      return offerMarker(s, e, epoch, next);
    }
    if (e.lastSequence() < next) {
      return Release.duplicates(epoch, e.changes().size());
    }
    if (e.firstSequence() > next) {
      return buffer(s, e, epoch, limits);
    }
    long duplicates = next - e.firstSequence();
    List<SequencedChange> run =
        new ArrayList<>(e.changes().subList((int) duplicates, e.changes().size()));
    return release(
        s, epoch, e.lastSequence() + 1, run, e.publishedThroughNanos(), duplicates, limits);
  }

  /** Continues a release that stopped at {@code maxReleaseChanges} (rule 11). */
  public static Release resume(ResequenceState s, ResequenceSettings limits) {
    if (s.epoch() == null) {
      return Release.nothing(0);
    }
    return release(s, s.epoch(), s.nextSequence(), new ArrayList<>(), 0, 0, limits);
  }

  private static Release offerMarker(ResequenceState s, Envelope e, long epoch, long next) {
    if (e.lastSequence() < next) {
      return new Release(
          epoch, List.of(), 0, 0, 0, false, false, e.publishedThroughNanos(), e.lastSequence());
    }
    Envelope m = s.pendingMarker();
    if (m == null || m.lastSequence() < e.lastSequence()) {
      s.setPendingMarker(e);
    }
    return Release.buffered(epoch);
  }

  private static Release buffer(
      ResequenceState s, Envelope e, long epoch, ResequenceSettings limits) {
    PendingIndex index = s.index();
    long size = e.changes().size();
    if (index.covers(e.firstSequence(), e.lastSequence())) {
      return Release.duplicates(epoch, size);
    }
    if (!index.isEmpty() && index.changes() + size > limits.maxBufferedChanges()) {
      return new Release(epoch, List.of(), 0, 0, size, false, false, 0, -1);
    }
    s.addPending(e, index.with(e.firstSequence(), e.lastSequence(), size));
    return Release.buffered(epoch);
  }

  private static Release release(
      ResequenceState s,
      long epoch,
      long next,
      List<SequencedChange> run,
      long published,
      long duplicates,
      ResequenceSettings limits) {
    boolean more = false;
    if (s.index().contains(next)) {
      Drained d = drain(s.readPending(), next, run, limits.maxReleaseChanges());
      s.replacePending(d.remaining(), d.index());
      next = d.next();
      published = Math.max(published, d.published());
      duplicates += d.duplicates();
      more = d.index().contains(next);
    }
    s.setNextSequence(next);
    long markerSequence = -1;
    Envelope m = s.pendingMarker();
    if (m != null && m.lastSequence() < next) {
      s.setPendingMarker(null);
      published = Math.max(published, m.publishedThroughNanos());
      markerSequence = m.lastSequence();
    }
    return new Release(epoch, run, duplicates, 0, 0, false, more, published, markerSequence);
  }

  private record Drained(
      long next, long published, long duplicates, List<Envelope> remaining, PendingIndex index) {}

  // Appends the buffered envelopes that continue the run, at most `limit` changes; what stays is
  // re-indexed.
  private static Drained drain(
      List<Envelope> pending, long next, List<SequencedChange> run, int limit) {
    pending = new ArrayList<>(pending);
    pending.sort(BY_SEQUENCE);
    List<Envelope> remaining = new ArrayList<>();
    PendingIndex index = PendingIndex.EMPTY;
    long published = 0;
    long duplicates = 0;
    int released = 0;
    for (Envelope p : pending) {
      if (p.lastSequence() < next) {
        duplicates += p.changes().size();
        continue;
      }
      Envelope rest = p;
      if (p.firstSequence() <= next && released < limit) {
        long take = Math.min(p.lastSequence(), next + (limit - released) - 1);
        duplicates += next - p.firstSequence();
        run.addAll(
            p.changes()
                .subList((int) (next - p.firstSequence()), (int) (take - p.firstSequence() + 1)));
        released += (int) (take - next + 1);
        next = take + 1;
        rest = take < p.lastSequence() ? slice(p, next) : null;
        if (rest == null) {
          published = Math.max(published, p.publishedThroughNanos());
        }
      }
      if (rest != null) {
        remaining.add(rest);
        index = index.with(rest.firstSequence(), rest.lastSequence(), rest.changes().size());
      }
    }
    return new Drained(next, published, duplicates, remaining, index);
  }

  private static Envelope slice(Envelope p, long from) {
    return new Envelope(
        p.shardId(),
        p.partition(),
        p.epoch(),
        from,
        p.lastSequence(),
        p.publishedThroughNanos(),
        p.changes().subList((int) (from - p.firstSequence()), p.changes().size()));
  }
}
