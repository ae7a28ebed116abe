package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.writer.ApplySummary;
import dev.reverserepl.writer.apply.ShardApplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins the runs that consecutive elements of one bundle release for the same stream into one apply
 * call, so that a bundle of small envelopes becomes few full MySQL transactions instead of one
 * transaction per envelope. Nothing changes in what is applied or in which order: a stream's runs
 * are contiguous and of one epoch, and the progress row still decides what is new.
 *
 * <p>A stream's joined run is applied before anything else of that stream is (a progress marker, a
 * run of another epoch), once it reaches {@code maxChanges}, and at the end of the bundle ({@link
 * #flushAll}). A bundle that fails after some of its runs were applied is retried as a whole; the
 * progress row skips what already committed (rule 2). {@code W} is where a summary is emitted (the
 * element's timestamp and window); plain class, no Beam types.
 */
final class RunCoalescer<W> {
  private final int maxChanges;
  private final Map<String, Joined<W>> open = new LinkedHashMap<>();

  RunCoalescer(int maxChanges) {
    this.maxChanges = maxChanges;
  }

  /** A summary of an applied run and where to emit it. */
  record Applied<W>(ApplySummary summary, W where) {}

  private static final class Joined<W> {
    final ShardApplier applier;
    final int partition;
    final long epoch;
    final List<SequencedChange> run = new ArrayList<>();
    long duplicates;
    long published;
    long buffered;
    W where;

    Joined(ShardApplier applier, int partition, long epoch) {
      this.applier = applier;
      this.partition = partition;
      this.epoch = epoch;
    }

    Release release() {
      return new Release(epoch, run, duplicates, 0, 0, false, false, published, -1);
    }
  }

  /**
   * Takes what one element (or timer firing) of stream {@code key} released; returns the summaries
   * of whatever had to be applied now.
   */
  List<Applied<W>> offer(
      String key, ShardApplier a, int partition, Release r, long buffered, W where) {
    List<Applied<W>> out = new ArrayList<>();
    Joined<W> j = open.get(key);
    if (r.run().isEmpty()) {
      if (r.hasMarker()) {
        flush(key, out);
      }
      // Counters, the buffer gauge and — for a marker — the published-through time, as before.
      ReleaseApplier.apply(a, partition, r, buffered)
          .ifPresent(s -> out.add(new Applied<>(s, where)));
      return out;
    }
    if (j != null && (j.epoch != r.epoch() || j.run.size() + r.run().size() > maxChanges)) {
      flush(key, out);
      j = null;
    }
    if (j == null) {
      j = new Joined<>(a, partition, r.epoch());
      open.put(key, j);
    }
    j.run.addAll(r.run());
    j.duplicates += r.duplicates();
    j.published = Math.max(j.published, r.publishedThroughNanos());
    j.buffered = buffered;
    j.where = where;
    return out;
  }

  /** Applies every joined run (end of bundle). */
  List<Applied<W>> flushAll() {
    List<Applied<W>> out = new ArrayList<>();
    for (String key : new ArrayList<>(open.keySet())) {
      flush(key, out);
    }
    return out;
  }

  private void flush(String key, List<Applied<W>> out) {
    Joined<W> j = open.remove(key);
    if (j != null) {
      Optional<ApplySummary> s =
          ReleaseApplier.apply(j.applier, j.partition, j.release(), j.buffered);
      s.ifPresent(summary -> out.add(new Applied<>(summary, j.where)));
    }
  }

  /** Drops what is not applied yet: the bundle failed and will be retried from state. */
  void discard() {
    open.clear();
  }
}
