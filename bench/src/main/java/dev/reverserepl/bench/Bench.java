package dev.reverserepl.bench;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the benchmark table: apply throughput against the raw-JDBC limit, the writer pipeline end
 * to end, and the ordering stage's throughput and memory bound at growing backlogs. All figures
 * come from this machine, this run.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    Table table = new Table();
    Path dir = Files.createTempDirectory("rr-bench-");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, max heap %d MiB, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    try (EmbeddedMySql mysql =
        EmbeddedMySql.builder().withDataDir(dir.resolve("mysql")).withDurable(true).start()) {
      if (!a.skipApply) {
        applySection(mysql, dir, a, table);
      }
      if (!a.skipEndToEnd) {
        EndToEndBench.run(mysql, dir, a, table);
      }
      if (!a.skipReplay) {
        ReplayBench.run(mysql, dir, a, table);
      }
    }
    if (!a.skipOrdering) {
      OrderingBench.run(a, table);
    }
    table.print(System.out);
    System.exit(0);
  }

  private static void applySection(EmbeddedMySql mysql, Path dir, BenchArgs a, Table table)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "apply: generating %d changes (70%% updates, 20%% inserts, 10%% deletes)...%n",
        a.changes);
    BenchWorkload w =
        BenchWorkload.generate(
            dir, a.changes, List.of("bench"), Instant.parse("2026-01-01T00:00:00Z"));
    List<String[]> rows = new ArrayList<>();
    String rawDb = fresh(mysql, dir, "raw_baseline");
    ApplyBench.Result raw = RawBaseline.run(mysql, rawDb, w, a.batchSize);
    System.out.printf(Locale.ROOT, "apply: raw JDBC baseline %.0f rows/s%n", raw.rowsPerSecond());
    table.add(
        "apply, one shard",
        "raw JDBC multi-row upsert/delete (no order, no bookkeeping)",
        String.format(Locale.ROOT, "%,.0f rows/s", raw.rowsPerSecond()),
        "1.00 x raw");
    for (int partitions : new int[] {1, 4}) {
      String db = fresh(mysql, dir, "apply_p" + partitions);
      ApplyBench.Result r =
          ApplyBench.run(mysql, db, w, a.batchSize, partitions, dir.resolve("dlq-" + partitions));
      System.out.printf(
          Locale.ROOT,
          "apply: partitionsPerShard=%d %.0f rows/s (%d applied)%n",
          partitions,
          r.rowsPerSecond(),
          r.applied());
      table.add(
          "apply, one shard",
          "writer apply path, partitionsPerShard="
              + partitions
              + (partitions == 1 ? " (strict commit order)" : " (per-key order)"),
          String.format(Locale.ROOT, "%,.0f rows/s", r.rowsPerSecond()),
          String.format(Locale.ROOT, "%.2f x raw", r.rowsPerSecond() / raw.rowsPerSecond()));
    }
  }

  static String fresh(EmbeddedMySql mysql, Path dir, String db) {
    mysql.recreateDatabase(db);
    mysql.runSqlFile(db, BenchWorkload.schema(dir));
    return db;
  }
}
