package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;

/**
 * Prints one progress line every interval while a run goes on, always in one format, counted in row
 * changes:
 *
 * <pre>
 * progress  12.0s | row changes read 3175/3175 | filtered 134 | skipped 41 | sequenced 3000 | applied 1200/3000 (shard1 600, shard2 600) 150/s | ETA 12s
 * </pre>
 *
 * Read, filtered, skipped and sequenced (handed on to the writer) come from the ordering pipeline's
 * live counters; applied from the shards' own progress tables (what is committed, counted from the
 * start of this run), so it moves as the writer commits. Totals appear where known, the ETA once a
 * rate is measured. Commit lag is shown only for live sources ({@code rr run}): for replayed or
 * generated records the commit times are those of the records, so a lag against now means nothing.
 */
final class ProgressPrinter implements AutoCloseable {
  /** What the line needs to know besides the shards; zero totals are unknown. */
  record Plan(long rowChangesTotal, long appliedTotal, boolean liveSource) {
    static Plan bounded(long rowChangesTotal, long appliedTotal) {
      return new Plan(rowChangesTotal, appliedTotal, false);
    }

    static Plan live() {
      return new Plan(0, 0, true);
    }
  }

  /**
   * Live counters of the running pipelines (attempted values); the suppliers may return null before
   * they run.
   */
  record Pipelines(Supplier<PipelineResult> ordering, Supplier<PipelineResult> writer) {}

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rr-progress");
            t.setDaemon(true);
            return t;
          });
  private final ProgressReader reader;
  private final Pipelines pipelines;
  private final Plan plan;
  private final PrintStream out;
  private final Instant started = Instant.now();
  private final Map<String, Long> baseline = new HashMap<>();
  private Instant lastAt = started;
  private long lastDone;
  private long lastApplied;

  ProgressPrinter(ProgressReader reader, Pipelines pipelines, Plan plan, PrintStream out) {
    this.reader = reader;
    this.pipelines = pipelines;
    this.plan = plan;
    this.out = out;
    // Applied counts in the progress tables include earlier runs; this run's progress starts from
    // here.
    for (ShardProgress p : reader.read()) {
      baseline.put(p.shardId(), p.reachable() ? p.appliedCount() : 0L);
    }
  }

  ProgressPrinter start(Duration every) {
    timer.scheduleAtFixedRate(
        this::printSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  void printNow() {
    printSafely();
  }

  private synchronized void printSafely() {
    try {
      out.println(line(Instant.now()));
    } catch (RuntimeException e) {
      out.println(
          String.format(
              Locale.ROOT,
              "progress %6.1fs | unavailable: %s",
              seconds(started, Instant.now()),
              e.getMessage()));
    }
  }

  private String line(Instant now) {
    MetricsView o = MetricsView.of(pipelines.ordering().get(), false);
    MetricsView w = MetricsView.of(pipelines.writer().get(), false);
    String on = OrderingMetrics.NAMESPACE;
    long read = o.get(on, OrderingMetrics.CHANGES_IN);
    long filtered = o.get(on, OrderingMetrics.CHANGES_FILTERED_FORWARD_MIGRATION);
    long skipped =
        o.get(on, OrderingMetrics.SKIPPED_TABLE_CHANGES)
            + o.get(on, OrderingMetrics.UNKNOWN_TABLE_CHANGES);
    long settled =
        w.sumPerShard(WriterMetrics.NAMESPACE, WriterMetrics.SKIPPED_DUPLICATES)
            + w.sumPerShard(WriterMetrics.NAMESPACE, WriterMetrics.DEAD_LETTERED)
            + o.get(on, OrderingMetrics.DEAD_LETTERED);

    List<String> parts = new ArrayList<>();
    parts.add(String.format(Locale.ROOT, "progress %6.1fs", seconds(started, now)));
    parts.add(
        "row changes read "
            + read
            + (plan.rowChangesTotal() > 0 ? "/" + plan.rowChangesTotal() : ""));
    parts.add("filtered " + filtered);
    parts.add("skipped " + skipped);
    parts.add("sequenced " + o.get(on, OrderingMetrics.SEQUENCED));
    long applied = 0;
    List<String> perShard = new ArrayList<>();
    for (ShardProgress p : reader.read()) {
      if (!p.reachable()) {
        perShard.add(p.shardId() + " unreachable");
        continue;
      }
      long a = Math.max(0, p.appliedCount() - baseline.getOrDefault(p.shardId(), 0L));
      applied += a;
      String lag =
          plan.liveSource()
              ? p.lagSeconds(now).map(l -> String.format(Locale.ROOT, " lag %.1fs", l)).orElse("")
              : "";
      perShard.add(p.shardId() + " " + a + lag);
    }
    long done = filtered + skipped + settled + applied;
    double interval = Math.max(0.001, seconds(lastAt, now));
    double rate = (done - lastDone) / interval;
    double appliedRate = (applied - lastApplied) / interval;
    lastDone = done;
    lastApplied = applied;
    lastAt = now;
    parts.add(
        "applied "
            + applied
            + (plan.appliedTotal() > 0 ? "/" + plan.appliedTotal() : "")
            + " ("
            + String.join(", ", perShard)
            + ")"
            + String.format(Locale.ROOT, " %.0f/s", appliedRate));
    long total = plan.rowChangesTotal();
    if (total > 0 && rate > 0 && done < total) {
      parts.add(String.format(Locale.ROOT, "ETA %.0fs", (total - done) / rate));
    }
    return String.join(" | ", parts);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
