package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one key's sequenced changes (already in order, transaction ends marked) into envelopes of at
 * most {@code maxChanges} changes and about {@code maxBytes} encoded bytes.
 *
 * <p>Transactions stay whole: an envelope closes before a transaction that would not fit. Only a
 * transaction that alone exceeds a limit is split, into consecutive envelopes; its last change
 * still carries {@code endOfTransaction}, so a consumer recognises the boundary from the flags,
 * never from envelope edges.
 */
public final class EnvelopeBatcher {
  /** Fixed per-change JSON cost (field names, numbers, quotes) on top of the variable strings. */
  static final int PER_CHANGE_OVERHEAD = 160;

  /** Fixed per-envelope JSON cost. */
  static final int PER_ENVELOPE_OVERHEAD = 200;

  private final int maxChanges;
  private final long maxBytes;

  public EnvelopeBatcher(int maxChanges, long maxBytes) {
    this.maxChanges = maxChanges;
    this.maxBytes = maxBytes;
  }

  /**
   * @param throughNanos published-through of the last envelope; earlier envelopes claim only what
   *     precedes their last change's commit time
   */
  public List<Envelope> batch(List<SequencedChange> changes, long throughNanos) {
    List<Envelope> out = new ArrayList<>();
    List<SequencedChange> current = new ArrayList<>();
    long currentBytes = PER_ENVELOPE_OVERHEAD;
    int i = 0;
    while (i < changes.size()) {
      int end = transactionEnd(changes, i);
      int txnCount = end - i;
      long txnBytes = 0;
      for (int j = i; j < end; j++) {
        txnBytes += estimatedBytes(changes.get(j).change());
      }
      boolean fits = current.size() + txnCount <= maxChanges && currentBytes + txnBytes <= maxBytes;
      if (!fits && !current.isEmpty()) {
        out.add(
            envelope(
                current, current.get(current.size() - 1).change().position().commitNanos() - 1));
        current = new ArrayList<>();
        currentBytes = PER_ENVELOPE_OVERHEAD;
      }
      for (int j = i; j < end; j++) {
        SequencedChange c = changes.get(j);
        long bytes = estimatedBytes(c.change());
        if (!current.isEmpty()
            && (current.size() + 1 > maxChanges || currentBytes + bytes > maxBytes)) {
          // only reached by a transaction larger than an envelope
          out.add(envelope(current, c.change().position().commitNanos() - 1));
          current = new ArrayList<>();
          currentBytes = PER_ENVELOPE_OVERHEAD;
        }
        current.add(c);
        currentBytes += bytes;
      }
      i = end;
    }
    if (!current.isEmpty()) {
      out.add(envelope(current, throughNanos));
    }
    return out;
  }

  private static int transactionEnd(List<SequencedChange> changes, int start) {
    int j = start;
    while (j < changes.size() && !changes.get(j).endOfTransaction()) {
      j++;
    }
    return Math.min(j + 1, changes.size());
  }

  private static Envelope envelope(List<SequencedChange> changes, long throughNanos) {
    SequencedChange first = changes.get(0);
    return new Envelope(
        first.shardId(),
        first.partition(),
        first.epoch(),
        first.sequence(),
        changes.get(changes.size() - 1).sequence(),
        throughNanos,
        changes);
  }

  /** Upper estimate of the change's encoded size (strings counted as UTF-8). */
  public static long estimatedBytes(Change c) {
    return PER_CHANGE_OVERHEAD
        + utf8Length(c.table())
        + utf8Length(c.keysJson())
        + utf8Length(c.newValuesJson())
        + utf8Length(c.position().serverTransactionId())
        + utf8Length(c.transactionTag());
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      n += ch < 0x80 ? 1 : ch < 0x800 ? 2 : Character.isSurrogate(ch) ? 2 : 3;
    }
    return n;
  }
}
