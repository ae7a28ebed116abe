package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import java.util.List;

/**
 * What one offered envelope (or one continuation) released: the contiguous run of changes to apply
 * now (possibly empty, never longer than {@link ResequenceSettings#maxReleaseChanges()} plus the
 * offered envelope), changes dropped as already released ({@code duplicates}), as belonging to an
 * older epoch ({@code staleEpoch}) or because the buffer was full ({@code droppedOverCap}), whether
 * the envelope was buffered, whether more of the buffer is releasable right now ({@code more}: the
 * caller continues later) and — when a progress marker became reachable — its sequence and time
 * ({@code markerSequence} is -1 otherwise).
 */
public record Release(
    long epoch,
    List<SequencedChange> run,
    long duplicates,
    long staleEpoch,
    long droppedOverCap,
    boolean buffered,
    boolean more,
    long publishedThroughNanos,
    long markerSequence) {

  static Release nothing(long epoch) {
    return new Release(epoch, List.of(), 0, 0, 0, false, false, 0, -1);
  }

  static Release buffered(long epoch) {
    return new Release(epoch, List.of(), 0, 0, 0, true, false, 0, -1);
  }

  static Release duplicates(long epoch, long n) {
    return new Release(epoch, List.of(), n, 0, 0, false, false, 0, -1);
  }

  public boolean hasMarker() {
    return markerSequence >= 0;
  }
}
