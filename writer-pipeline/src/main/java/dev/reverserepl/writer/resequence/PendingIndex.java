package dev.reverserepl.writer.resequence;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the pending buffer of one stream holds, without reading it: the sequence ranges its
 * envelopes cover (merged, sorted, disjoint), how many envelopes and how many changes. Kept in a
 * small value cell beside the buffer so that an envelope arriving out of order costs one index read
 * and one blind append, and the buffer itself is read only when the next sequence is known to be in
 * it.
 */
public record PendingIndex(List<Range> ranges, long envelopes, long changes)
    implements Serializable {
  public static final PendingIndex EMPTY = new PendingIndex(List.of(), 0, 0);

  /** Sequences {@code first..last}, inclusive. */
  public record Range(long first, long last) implements Serializable {
    public Range {
      if (last < first) {
        throw new IllegalArgumentException("empty range " + first + ".." + last);
      }
    }
  }

  public PendingIndex {
    ranges = List.copyOf(ranges);
    if (envelopes < 0 || changes < 0) {
      throw new IllegalArgumentException(
          "negative counts: " + envelopes + " envelopes, " + changes + " changes");
    }
    for (int i = 1; i < ranges.size(); i++) {
      if (ranges.get(i).first() <= ranges.get(i - 1).last() + 1) {
        throw new IllegalArgumentException(
            "ranges must be sorted, disjoint and not adjacent: " + ranges);
      }
    }
  }

  public boolean isEmpty() {
    return envelopes == 0;
  }

  /** True when the buffer holds sequence {@code seq}. */
  public boolean contains(long seq) {
    Range r = floor(seq);
    return r != null && r.last() >= seq;
  }

  /**
   * True when every sequence of {@code first..last} is already buffered (a redelivered envelope).
   */
  public boolean covers(long first, long last) {
    Range r = floor(first);
    return r != null && r.last() >= last;
  }

  /** The highest buffered sequence; -1 when empty. */
  public long highest() {
    return ranges.isEmpty() ? -1 : ranges.get(ranges.size() - 1).last();
  }

  /** The index after one more envelope of {@code size} changes covering {@code first..last}. */
  public PendingIndex with(long first, long last, long size) {
    List<Range> out = new ArrayList<>(ranges.size() + 1);
    long from = first;
    long to = last;
    for (Range r : ranges) {
      if (r.last() + 1 < from || r.first() > to + 1) {
        out.add(r);
      } else {
        from = Math.min(from, r.first());
        to = Math.max(to, r.last());
      }
    }
    out.add(new Range(from, to));
    out.sort((a, b) -> Long.compare(a.first(), b.first()));
    return new PendingIndex(out, envelopes + 1, changes + size);
  }

  private Range floor(long seq) {
    int i =
        Collections.binarySearch(
            ranges, new Range(seq, seq), (a, b) -> Long.compare(a.first(), b.first()));
    int at = i >= 0 ? i : -i - 2;
    return at < 0 ? null : ranges.get(at);
  }
}
