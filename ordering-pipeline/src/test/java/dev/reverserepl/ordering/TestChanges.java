package dev.reverserepl.ordering;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builders and checks shared by the ordering tests. */
public final class TestChanges {
  private TestChanges() {}

  public static Change change(
      String table, ModKind kind, long id, long commitNanos, String txn, long recordSeq, int mod) {
    return new Change(
        table,
        kind,
        "{\"id\":\"" + id + "\"}",
        kind.isDelete() ? "{}" : "{\"v\":\"" + id + "\"}",
        new ChangePosition(commitNanos, txn, recordSeq, mod),
        "",
        1);
  }

  /**
   * Concatenates each key's envelopes in sequence order and checks the stream: sequences 1..n
   * without gaps or duplicates, positions strictly increasing, {@code endOfTransaction} exactly
   * where the transaction changes. Returns the changes per key.
   */
  public static Map<String, List<SequencedChange>> checkStreams(Iterable<Envelope> envelopes) {
    Map<String, List<Envelope>> byKey = new TreeMap<>();
    for (Envelope e : envelopes) {
      byKey.computeIfAbsent(e.shardId() + "#" + e.partition(), k -> new ArrayList<>()).add(e);
    }
    Map<String, List<SequencedChange>> out = new TreeMap<>();
    for (Map.Entry<String, List<Envelope>> en : byKey.entrySet()) {
      List<Envelope> list = en.getValue();
      list.sort(
          Comparator.comparingLong(Envelope::firstSequence)
              .thenComparing(e -> e.isMarker() ? 1 : 0));
      List<SequencedChange> changes = new ArrayList<>();
      long expected = 1;
      long lastThrough = Long.MIN_VALUE;
      for (Envelope e : list) {
        if (e.isMarker()) {
          if (e.lastSequence() != expected - 1 && e.firstSequence() > expected) {
            throw new AssertionError(
                en.getKey()
                    + ": marker "
                    + e.lastSequence()
                    + " ahead of sequence "
                    + (expected - 1));
          }
          continue;
        }
        if (e.firstSequence() != expected) {
          throw new AssertionError(
              en.getKey() + ": envelope starts at " + e.firstSequence() + ", expected " + expected);
        }
        if (e.publishedThroughNanos() < lastThrough) {
          throw new AssertionError(
              en.getKey() + ": publishedThrough went backwards at " + e.firstSequence());
        }
        lastThrough = e.publishedThroughNanos();
        changes.addAll(e.changes());
        expected = e.lastSequence() + 1;
      }
      for (int i = 0; i < changes.size(); i++) {
        SequencedChange c = changes.get(i);
        if (c.sequence() != i + 1) {
          throw new AssertionError(en.getKey() + ": sequence " + c.sequence() + " at index " + i);
        }
        boolean last = i == changes.size() - 1;
        if (!last && c.change().position().compareTo(changes.get(i + 1).change().position()) >= 0) {
          throw new AssertionError(
              en.getKey() + ": not in commit order at sequence " + c.sequence());
        }
        boolean eot =
            last || !c.change().position().sameTransaction(changes.get(i + 1).change().position());
        if (c.endOfTransaction() != eot) {
          throw new AssertionError(
              en.getKey() + ": endOfTransaction wrong at sequence " + c.sequence());
        }
      }
      out.put(en.getKey(), changes);
    }
    return out;
  }
}
