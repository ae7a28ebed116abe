package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import java.util.List;

/**
 * What one offered envelope released: the contiguous run of changes to apply now (possibly empty), changes dropped
 * as already released ({@code duplicates}) or as belonging to an older epoch ({@code staleEpoch}), whether the
 * envelope was buffered, and — when a progress marker became reachable — its sequence and time ({@code
 * markerSequence} is -1 otherwise).
 */
public record Release(
    long epoch,
    List<SequencedChange> run,
    long duplicates,
    long staleEpoch,
    boolean buffered,
    long publishedThroughNanos,
    long markerSequence) {

  public boolean hasMarker() {
    return markerSequence >= 0;
  }
}
