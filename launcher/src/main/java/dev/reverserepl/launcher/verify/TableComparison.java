package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.session.ColumnMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Streams the expected and the MySQL rows of one table/shard side by side and pairs them by key.
 * Rules:
 *
 * <ol>
 *   <li>When both sides order keys the same way ({@link KeyOrder#agreesWithDatabases}), a row whose
 *       key the other side has already passed is decided at once (missing or extra), so memory
 *       holds only the rows in between, whatever the table's size.
 *   <li>Otherwise (text keys under a collation) an unpaired row waits until its partner arrives or
 *       the streams end; memory then grows with the number of rows the two orders disagree on.
 *   <li>Every difference becomes a candidate for the re-check; only the first {@code maxCandidates}
 *       are kept, the rest are counted as confirmed.
 * </ol>
 */
final class TableComparison {
  final TableShape shape;
  final int maxCandidates;
  long expectedRows;
  long mysqlRows;
  long matching;
  long unrecheckedMissing;
  long unrecheckedExtra;
  long unrecheckedDifferent;

  /** Differences to re-check, in the order found: key -> the kind seen first. */
  final Map<List<String>, Candidate> candidates = new LinkedHashMap<>();

  record Candidate(RowDiff.Kind kind, CanonicalRow row) {}

  TableComparison(TableShape shape, int maxCandidates) {
    this.shape = shape;
    this.maxCandidates = maxCandidates;
  }

  void run(Iterator<CanonicalRow> expected, Iterator<CanonicalRow> actual) {
    KeyOrder order = new KeyOrder(shape.keyColumns());
    boolean ordered = order.agreesWithDatabases();
    Map<List<String>, CanonicalRow> waitingE = ordered ? new TreeMap<>(order) : new HashMap<>();
    Map<List<String>, CanonicalRow> waitingA = ordered ? new TreeMap<>(order) : new HashMap<>();
    List<String> lastE = null;
    List<String> lastA = null;
    while (expected.hasNext() || actual.hasNext()) {
      if (expected.hasNext()) {
        CanonicalRow e = expected.next();
        expectedRows++;
        lastE = e.key();
        CanonicalRow a = waitingA.remove(e.key());
        if (a != null) {
          pair(e, a);
        } else {
          waitingE.put(e.key(), e);
        }
      }
      if (actual.hasNext()) {
        CanonicalRow a = actual.next();
        mysqlRows++;
        lastA = a.key();
        CanonicalRow e = waitingE.remove(a.key());
        if (e != null) {
          pair(e, a);
        } else {
          waitingA.put(a.key(), a);
        }
      }
      if (ordered) {
        // A waiting row below the other side's position can no longer be paired.
        if (lastA != null || !actual.hasNext()) {
          drainBelow(
              (NavigableMap<List<String>, CanonicalRow>) waitingE,
              actual.hasNext() ? lastA : null,
              RowDiff.Kind.MISSING);
        }
        if (lastE != null || !expected.hasNext()) {
          drainBelow(
              (NavigableMap<List<String>, CanonicalRow>) waitingA,
              expected.hasNext() ? lastE : null,
              RowDiff.Kind.EXTRA);
        }
      }
    }
    waitingE.values().forEach(e -> candidate(RowDiff.Kind.MISSING, e));
    waitingA.values().forEach(a -> candidate(RowDiff.Kind.EXTRA, a));
  }

  /** {@code bound} null: the other side has ended, everything waiting is unpaired. */
  private void drainBelow(
      NavigableMap<List<String>, CanonicalRow> waiting, List<String> bound, RowDiff.Kind kind) {
    NavigableMap<List<String>, CanonicalRow> below =
        bound == null ? waiting : waiting.headMap(bound, false);
    for (CanonicalRow r : below.values()) {
      candidate(kind, r);
    }
    below.clear();
  }

  private void pair(CanonicalRow e, CanonicalRow a) {
    if (diff(e, a).isEmpty()) {
      matching++;
    } else {
      candidate(RowDiff.Kind.DIFFERENT, e);
    }
  }

  private void candidate(RowDiff.Kind kind, CanonicalRow row) {
    if (candidates.size() < maxCandidates) {
      candidates.put(row.key(), new Candidate(kind, row));
    } else {
      switch (kind) {
        case MISSING -> unrecheckedMissing++;
        case EXTRA -> unrecheckedExtra++;
        case DIFFERENT -> unrecheckedDifferent++;
      }
    }
  }

  /**
   * Differing columns, {@code name -> [expected, actual]}; ABSENT expected values are not compared.
   */
  Map<String, String[]> diff(CanonicalRow e, CanonicalRow a) {
    Map<String, String[]> out = new LinkedHashMap<>();
    List<ColumnMapping> cols = shape.columns();
    for (int i = 0; i < cols.size(); i++) {
      String x = e.values().get(i);
      String y = a.values().get(i);
      if (!x.equals(CanonicalRow.ABSENT) && !x.equals(y)) {
        out.put(cols.get(i).sourceColumn(), new String[] {x, y});
      }
    }
    return out;
  }

  List<Candidate> candidateList() {
    return new ArrayList<>(candidates.values());
  }
}
