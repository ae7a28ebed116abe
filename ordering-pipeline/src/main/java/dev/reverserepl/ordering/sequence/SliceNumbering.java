package dev.reverserepl.ordering.sequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Numbers one key's closed slices in commit-time order. Plain code so the stateful DoFn around it
 * stays a shell over its state.
 *
 * <p>Given the slices that have arrived and a time {@code through} the watermark has passed, every
 * slice ending at or before {@code through} is complete and so is every earlier one (the watermark
 * holds back later arrivals), so they can be numbered now, in order; the others wait. Each slice is
 * looked at in at most two calls: the caller re-arms for the latest waiting slice, so the next call
 * finds all of them due.
 */
public final class SliceNumbering {
  private final long launchEpoch;

  /**
   * @param launchEpoch the epoch a key without state begins; a key with state keeps its own
   */
  public SliceNumbering(long launchEpoch) {
    this.launchEpoch = launchEpoch;
  }

  /**
   * @param numbers the due slices' numbers, in commit-time order
   * @param waiting slices not yet due (to keep)
   * @param progress the key's state after numbering
   * @param late changes of due slices that started before the end of an already numbered slice (a
   *     source broke its never-late contract); they are numbered next rather than dropped
   */
  public record Result(
      List<SliceNumber> numbers, List<SliceCount> waiting, KeyProgress progress, long late) {}

  public Result number(KeyProgress stored, Iterable<SliceCount> arrived, long throughMillis) {
    KeyProgress p = stored == null ? KeyProgress.start(launchEpoch) : stored;
    List<SliceCount> due = new ArrayList<>();
    List<SliceCount> waiting = new ArrayList<>();
    for (SliceCount s : arrived) {
      (s.lastMillis() <= throughMillis ? due : waiting).add(s);
    }
    due.sort(Comparator.comparingLong(SliceCount::startMillis));
    List<SliceNumber> numbers = new ArrayList<>(due.size());
    long next = p.nextSeq();
    long through = p.numberedThroughMillis();
    long late = 0;
    for (SliceCount s : due) {
      if (s.startMillis() < through) {
        late += s.changes();
      }
      numbers.add(new SliceNumber(p.epoch(), next, s));
      next += s.changes();
      through = Math.max(through, s.endMillis());
    }
    return new Result(numbers, waiting, new KeyProgress(p.epoch(), next, through), late);
  }
}
