package dev.reverserepl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of the performance targets, each as a ratio to the baseline it is judged by, measured
 * in the same run; printed after the table. The last line printed is {@code apply/raw=<ratio>} so
 * that scripts can take it with {@code tail -1}.
 */
final class Figures {
  private final List<String> lines = new ArrayList<>();
  private double applyToRaw = Double.NaN;
  private double applyRate = Double.NaN;

  void applyPath(double raw, double apply, double ratio) {
    applyToRaw = ratio;
    applyRate = apply;
    add(
        "apply/raw (partitionsPerShard=1)",
        applyToRaw,
        String.format(
            Locale.ROOT,
            "%,.0f vs %,.0f rows/s; target >= 0.90 and >= 20,000 rows/s per shard",
            apply,
            raw));
  }

  void writerPipeline(double writer) {
    add(
        "writer/apply (DirectRunner, 1 shard)",
        writer / applyRate,
        String.format(Locale.ROOT, "%,.0f vs %,.0f rows/s; target >= 0.60", writer, applyRate));
  }

  void lag(int shards, long p99Millis, long firstHalfP99, long secondHalfP99) {
    add(
        "lag p99 / 2 s (" + shards + " shard" + (shards == 1 ? ")" : "s)"),
        p99Millis / 2000.0,
        String.format(
            Locale.ROOT,
            "p99 %,d ms; first half %,d ms, second half %,d ms; target < 1.00, flat",
            p99Millis,
            firstHalfP99,
            secondHalfP99));
  }

  void sequencer(long smallest, double smallestRate, long largest, double largestRate, long slice) {
    add(
        "sequencer rate / 20k (largest backlog)",
        largestRate / 20_000,
        String.format(Locale.ROOT, "%,.0f changes/s at %,d; target >= 1.00", largestRate, largest));
    add(
        "sequencer flatness",
        largestRate / smallestRate,
        String.format(
            Locale.ROOT,
            "%,.0f changes/s at %,d vs %,.0f at %,d; largest slice held %,d changes",
            largestRate,
            largest,
            smallestRate,
            smallest,
            slice));
  }

  /**
   * {@code rr replay} at its largest size against the apply path, and its CPU per change there
   * against the smallest size (1.00 = linear).
   */
  void replay(
      long smallest,
      double smallestCpuPerChange,
      long largest,
      double largestRate,
      double largestCpuPerChange) {
    if (!Double.isNaN(applyRate)) {
      add(
          "replay/apply (" + String.format(Locale.ROOT, "%,d", largest) + " changes, 2 shards)",
          largestRate / applyRate,
          String.format(
              Locale.ROOT, "%,.0f vs %,.0f rows/s; target >= 0.50", largestRate, applyRate));
    }
    add(
        "replay CPU per change, largest / smallest",
        largestCpuPerChange / smallestCpuPerChange,
        String.format(
            Locale.ROOT,
            "%.3f ms at %,d vs %.3f ms at %,d; linear <= 1.00",
            largestCpuPerChange * 1e3,
            largest,
            smallestCpuPerChange * 1e3,
            smallest));
  }

  private void add(String name, double ratio, String detail) {
    lines.add(String.format(Locale.ROOT, "%-40s %6.2f   %s", name, ratio, detail));
  }

  void print(PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "ratios (machine: %d cores, load average %s at the end)%n",
        Machine.cores(),
        Machine.loadAverage());
    lines.forEach(out::println);
    if (!Double.isNaN(applyToRaw)) {
      out.printf(Locale.ROOT, "apply/raw=%.2f%n", applyToRaw);
    }
  }
}
