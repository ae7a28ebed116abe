package dev.reverserepl.bench;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.launcher.run.ReplayRequest;
import dev.reverserepl.launcher.run.ReplayRunner;
import dev.reverserepl.launcher.run.ReplaySummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rr replay --buffer none} of generated change-record files into two shards of the embedded
 * server, at growing sizes: wall time, CPU seconds and peak RSS of this process during the replay.
 * A linear replay keeps changes/s and RSS flat as the input grows.
 */
final class ReplayBench {
  private ReplayBench() {}

  static void run(EmbeddedMySql mysql, Path dir, BenchArgs a, Table table, Figures figures)
      throws IOException {
    long smallest = -1;
    double smallestCpu = 0;
    long largest = -1;
    double largestRate = 0;
    double largestCpu = 0;
    int run = 0;
    for (long n : a.replays) {
      // a size may be given twice (a cold and a warm run): each run has its own directory
      Path work = Files.createDirectories(dir.resolve("replay-" + n + "-" + run++));
      Path changes = work.resolve("changes.jsonl");
      Files.copy(
          BenchWorkload.class.getClassLoader().getResourceAsStream("sample/session.json"),
          work.resolve("session.json"));
      WorkloadSpec spec =
          WorkloadSpec.defaults()
              .withChanges(n)
              .withSeed(11)
              .withShardIds(List.of("bench1", "bench2"))
              .withStart(Instant.parse("2026-01-01T00:00:00Z"))
              .withMix(0.7, 0.1)
              .withForwardMigrationShare(0)
              .withSkippedTableShare(0);
      try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
        WorkloadGenerator.forSessionFile(work.resolve("session.json").toString(), spec)
            .generate(w::write);
      }
      if (!Files.exists(BenchWorkload.schema(dir))) {
        Files.copy(
            BenchWorkload.class.getClassLoader().getResourceAsStream("sample/mysql-schema.sql"),
            BenchWorkload.schema(dir));
      }
      Path shards =
          shardsFile(
              work,
              List.of(
                  mysql.shard("bench1", Bench.fresh(mysql, dir, "replay_" + run + "_1")),
                  mysql.shard("bench2", Bench.fresh(mysql, dir, "replay_" + run + "_2"))));
      ReplayRequest request =
          ReplayRequest.of(
              changes.toString(),
              work.resolve("session.json").toString(),
              shards.toString(),
              work.resolve("dlq").toString());
      boolean peakReset = resetPeakRss();
      long cpu0 = Machine.processCpuNanos();
      long t0 = System.nanoTime();
      ReplaySummary summary =
          new ReplayRunner(
                  new PrintStream(new CheckLine(), true, java.nio.charset.StandardCharsets.UTF_8))
              .run(request);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (Machine.processCpuNanos() - cpu0) / 1e9;
      long rssMb = peakRssKb() >> 10;
      System.out.printf(
          Locale.ROOT,
          "replay: %,d changes: %.1f s, %.0f changes/s, %.1f CPU s, peak RSS %,d MiB, applied %,d%n",
          n,
          seconds,
          summary.read() / seconds,
          cpuSeconds,
          rssMb,
          summary.applied());
      table.add(
          "rr replay --buffer none, two shards",
          String.format(
              Locale.ROOT,
              "%,d changes (read %,d, applied %,d)",
              n,
              summary.read(),
              summary.applied()),
          String.format(Locale.ROOT, "%,.0f changes/s", summary.read() / seconds),
          String.format(
              Locale.ROOT,
              "%.1f s wall, %.1f CPU s, peak RSS %,d MiB%s",
              seconds,
              cpuSeconds,
              rssMb,
              peakReset ? "" : " (process peak: reset not permitted)"));
      if (summary.applied()
              + summary.duplicatesSkipped()
              + summary.deadLettered()
              + summary.filtered()
              + summary.skippedTables()
          != summary.read()) {
        throw new IllegalStateException(
            "replay of " + n + " changes did not account for every change: " + summary);
      }
      double cpuPerChange = cpuSeconds / n;
      if (smallest < 0 || n < smallest) {
        smallest = n;
        smallestCpu = cpuPerChange;
      }
      if (n > largest) {
        largest = n;
        largestRate = summary.read() / seconds;
        largestCpu = cpuPerChange;
      }
    }
    if (largest > 0) {
      figures.replay(smallest, smallestCpu, largest, largestRate, largestCpu);
    }
  }

  /** Echoes the runner's line that gives how long checking the input took; drops the rest. */
  private static final class CheckLine extends OutputStream {
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    @Override
    public void write(int b) {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String s = line.toString(java.nio.charset.StandardCharsets.UTF_8);
      line.reset();
      if (s.contains("checked in")) {
        System.out.println(s);
      }
    }
  }

  private static Path shardsFile(Path dir, List<Shard> shards) throws IOException {
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    for (Shard s : shards) {
      all.add(entry(s));
    }
    Path f = dir.resolve("shards.json");
    Files.writeString(f, Json.write(all));
    return f;
  }

  private static Map<String, Object> entry(Shard s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("logicalShardId", s.logicalShardId());
    m.put("host", s.host());
    m.put("port", String.valueOf(s.port()));
    m.put("user", s.user());
    m.put("password", s.password() == null ? "" : s.password());
    m.put("dbName", s.dbName());
    return m;
  }

  /** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS. */
  private static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
