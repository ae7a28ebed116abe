package dev.reverserepl.bench;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.shards.Shard;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The apply section: the writer's apply path against the raw JDBC limit, with the same driver
 * properties on both sides. Both are warmed up first, then run alternately for several rounds
 * (which goes first alternates too), so that load from other processes on a shared machine falls on
 * both; the ratio is the median of the per-round ratios.
 */
final class ApplySection {
  /** Driver properties measured on top of the writer's pool defaults, by name. */
  static final Map<String, Map<String, String>> VARIANTS = variants();

  private static final long SETTLE_MILLIS = 2000;

  private final EmbeddedMySql mysql;
  private final Path dir;
  private final BenchArgs a;
  private final Table table;
  private int runs;

  ApplySection(EmbeddedMySql mysql, Path dir, BenchArgs a, Table table) {
    this.mysql = mysql;
    this.dir = dir;
    this.a = a;
    this.table = table;
  }

  private static Map<String, Map<String, String>> variants() {
    Map<String, Map<String, String>> v = new LinkedHashMap<>();
    v.put("pool defaults", Map.of());
    v.put("+rewriteBatchedStatements", Map.of("rewriteBatchedStatements", "true"));
    v.put("+allowMultiQueries", Map.of("allowMultiQueries", "true"));
    v.put("+useServerPrepStmts", Map.of("useServerPrepStmts", "true"));
    return v;
  }

  /** Returns the strict-order apply rate (rows/s) of the pool defaults. */
  double run(Figures figures) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "apply: generating %d changes (70%% updates, 20%% inserts, 10%% deletes)...%n",
        a.changes);
    BenchWorkload w =
        BenchWorkload.generate(
            dir, a.changes, List.of("bench"), Instant.parse("2026-01-01T00:00:00Z"));
    warmUp(w);
    double[] main = rounds("pool defaults", Map.of(), w, a.rounds);
    figures.applyPath(main[0], main[1], main[2]);
    ApplyBench.Result p4 = apply(w, Map.of(), 4);
    System.out.printf(Locale.ROOT, "apply: partitionsPerShard=4 %.0f rows/s%n", p4.rowsPerSecond());
    table.add(
        "apply, one shard",
        "writer apply path, partitionsPerShard=4 (per-key order), pool defaults",
        String.format(Locale.ROOT, "%,.0f rows/s", p4.rowsPerSecond()),
        String.format(Locale.ROOT, "%.2f x raw", p4.rowsPerSecond() / main[0]));
    if (a.variants) {
      for (Map.Entry<String, Map<String, String>> v : VARIANTS.entrySet()) {
        if (!v.getValue().isEmpty()) {
          rounds(v.getKey(), v.getValue(), w, a.variantRounds);
        }
      }
    }
    return main[1];
  }

  private void warmUp(BenchWorkload w) throws Exception {
    BenchWorkload part = w.first(Math.min(w.changes.size(), 20_000));
    RawBaseline.run(shard(Map.of()), part, a.batchSize);
    apply(part, Map.of(), 1);
    System.out.println("apply: warmed up (20,000 changes each, not counted)");
  }

  /** Median raw and apply rates (rows/s) and the median of the per-round ratios. */
  private double[] rounds(String name, Map<String, String> props, BenchWorkload w, int rounds)
      throws Exception {
    double[] raw = new double[rounds];
    double[] apply = new double[rounds];
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ApplyBench.Result rawRun;
      ApplyBench.Result applyRun;
      if (r % 2 == 0) {
        rawRun = raw(w, props);
        applyRun = apply(w, props, 1);
      } else {
        applyRun = apply(w, props, 1);
        rawRun = raw(w, props);
      }
      raw[r] = rawRun.rowsPerSecond();
      apply[r] = applyRun.rowsPerSecond();
      ratio[r] = apply[r] / raw[r];
      System.out.printf(
          Locale.ROOT,
          "apply [%s] round %d: raw %.0f rows/s (%s), strict order %.0f rows/s (%s), %.2f x raw"
              + " (load %s)%n",
          name,
          r + 1,
          raw[r],
          rawRun.cpu(),
          apply[r],
          applyRun.cpu(),
          ratio[r],
          Machine.loadAverage());
    }
    double rawMedian = median(raw);
    double applyMedian = median(apply);
    double ratioMedian = median(ratio);
    String rounds1 = rounds == 1 ? "1 round" : "median of " + rounds + " rounds";
    table.add(
        "apply, one shard",
        "raw JDBC multi-row upsert/delete, " + name + " (" + rounds1 + ")",
        String.format(Locale.ROOT, "%,.0f rows/s", rawMedian),
        "1.00 x raw");
    table.add(
        "apply, one shard",
        "writer apply path, partitionsPerShard=1 (strict commit order), " + name,
        String.format(Locale.ROOT, "%,.0f rows/s", applyMedian),
        String.format(Locale.ROOT, "%.2f x raw (per-round ratios %s)", ratioMedian, list(ratio)));
    return new double[] {rawMedian, applyMedian, ratioMedian};
  }

  private ApplyBench.Result apply(BenchWorkload w, Map<String, String> props, int partitions)
      throws Exception {
    Shard shard = shard(props);
    return ApplyBench.run(shard, w, a.batchSize, partitions, dir.resolve("dlq-" + runs));
  }

  private ApplyBench.Result raw(BenchWorkload w, Map<String, String> props) throws Exception {
    return RawBaseline.run(shard(props), w, a.batchSize);
  }

  /**
   * A fresh database with the workload's schema, reached with {@code props} on top; waits a moment
   * so that the server's background flushing of the previous run falls on neither side.
   */
  private Shard shard(Map<String, String> props) throws InterruptedException {
    String db = Bench.fresh(mysql, dir, "apply_" + (++runs));
    Thread.sleep(SETTLE_MILLIS);
    Map<String, String> p = new LinkedHashMap<>(mysql.shard(db, db).connectionProperties());
    p.putAll(props);
    return new Shard(db, mysql.host(), mysql.port(), mysql.user(), mysql.password(), null, db, p);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String list(double[] v) {
    List<String> out = new ArrayList<>();
    for (double d : v) {
      out.add(String.format(Locale.ROOT, "%.2f", d));
    }
    return String.join(", ", out);
  }
}
