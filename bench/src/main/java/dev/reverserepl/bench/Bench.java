package dev.reverserepl.bench;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints the benchmark table: apply throughput against the raw-JDBC limit, the writer pipeline end
 * to end, replay, and the ordering stage's throughput and memory bound at growing backlogs; then
 * each target's figure as a ratio to its baseline from the same run. All figures come from this
 * machine, this run.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    Table table = new Table();
    Figures figures = new Figures();
    Path dir = Files.createTempDirectory("rr-bench-");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, max heap %d MiB, Java %s, load average %s%s%n",
        Machine.cores(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"),
        Machine.loadAverage(),
        a.quick ? " (quick run)" : "");
    long t0 = System.nanoTime();
    try (EmbeddedMySql mysql =
        EmbeddedMySql.builder().withDataDir(dir.resolve("mysql")).withDurable(true).start()) {
      double applyRate = Double.NaN;
      if (!a.skipApply) {
        applyRate = new ApplySection(mysql, dir, a, table).run(figures);
      }
      if (!a.skipEndToEnd) {
        EndToEndBench.run(mysql, dir, a, table, figures, applyRate);
      }
      if (!a.skipReplay) {
        ReplayBench.run(mysql, dir, a, table, figures);
      }
    }
    if (!a.skipOrdering) {
      OrderingBench.run(a, table, figures);
    }
    table.print(System.out);
    System.out.printf(Locale.ROOT, "%nbench took %.0f s%n", (System.nanoTime() - t0) / 1e9);
    figures.print(System.out);
    System.out.flush();
    System.exit(0);
  }

  static String fresh(EmbeddedMySql mysql, Path dir, String db) {
    mysql.recreateDatabase(db);
    mysql.runSqlFile(db, BenchWorkload.schema(dir));
    return db;
  }
}
