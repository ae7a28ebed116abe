package dev.reverserepl.ordering.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rule R2 for one row, once the watermark has passed {@code throughMillis}: each waiting delete up
 * to then takes the shard of the row's newest sighting before it in commit order; what is final is
 * compacted to the newest sighting, what is not yet final is kept.
 *
 * <p>Exact whatever order sightings arrive in: a sighting at or before the watermark can no longer
 * be overtaken, so only the newest of those can ever be a later delete's answer.
 */
final class RowHistory {
  /** What one release gives and keeps. */
  record Release(
      List<RoutingAttempt> released,
      int resolved,
      Sighting last,
      List<Sighting> recent,
      List<RoutingAttempt> waiting) {}

  private RowHistory() {}

  static Release release(
      Sighting last, List<Sighting> recent, List<RoutingAttempt> waiting, long throughMillis) {
    List<Sighting> seen = new ArrayList<>(recent);
    if (last != null) {
      seen.add(last);
    }
    seen.sort(Comparator.naturalOrder());
    List<RoutingAttempt> due = new ArrayList<>();
    List<RoutingAttempt> keptWaiting = new ArrayList<>();
    for (RoutingAttempt w : waiting) {
      (commitMillis(w) > throughMillis ? keptWaiting : due).add(w);
    }
    due.sort(Comparator.comparing(w -> w.change().position()));
    List<RoutingAttempt> released = new ArrayList<>(due.size());
    int resolved = 0;
    for (RoutingAttempt w : due) {
      Sighting before = newestBefore(seen, w);
      if (before != null) {
        released.add(new RoutingAttempt(w.change(), before.shardId(), null, false));
        resolved++;
      } else {
        released.add(
            new RoutingAttempt(
                w.change(),
                null,
                w.reason() + "; and no earlier change of this row in the stream names its shard",
                false));
      }
    }
    Sighting newLast = last;
    List<Sighting> keptRecent = new ArrayList<>();
    for (Sighting s : seen) {
      if (s.commitMillis() > throughMillis) {
        keptRecent.add(s);
      } else if (newLast == null || s.compareTo(newLast) > 0) {
        newLast = s;
      }
    }
    return new Release(released, resolved, newLast, keptRecent, keptWaiting);
  }

  private static Sighting newestBefore(List<Sighting> sortedSeen, RoutingAttempt w) {
    Sighting found = null;
    for (Sighting s : sortedSeen) {
      if (s.position().compareTo(w.change().position()) >= 0) {
        break;
      }
      found = s;
    }
    return found;
  }

  static long commitMillis(RoutingAttempt a) {
    return Math.floorDiv(a.change().position().commitNanos(), 1_000_000L);
  }
}
