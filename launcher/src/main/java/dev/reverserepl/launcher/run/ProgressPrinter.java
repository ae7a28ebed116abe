package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints one progress line every interval while a run goes on: changes read and sequenced so far (from the
 * pipelines' metrics) and, per shard, the changes applied and the lag (from the shards' own progress tables).
 */
final class ProgressPrinter implements AutoCloseable {
  /** Live counters of the running pipelines. */
  record Counters(long read, long published) {
    /** The ordering pipeline's live counters; null before it runs. */
    static Counters of(org.apache.beam.sdk.PipelineResult ordering) {
      if (ordering == null) {
        return null;
      }
      MetricsView m = MetricsView.of(ordering, false);
      return new Counters(
          m.get(dev.reverserepl.ordering.OrderingMetrics.NAMESPACE, dev.reverserepl.ordering.OrderingMetrics.CHANGES_IN),
          m.get(dev.reverserepl.ordering.OrderingMetrics.NAMESPACE, dev.reverserepl.ordering.OrderingMetrics.SEQUENCED));
    }
  }

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rr-progress");
            t.setDaemon(true);
            return t;
          });
  private final ProgressReader reader;
  private final Supplier<Counters> counters;
  private final PrintStream out;
  private final Instant started = Instant.now();

  ProgressPrinter(ProgressReader reader, Supplier<Counters> counters, PrintStream out) {
    this.reader = reader;
    this.counters = counters;
    this.out = out;
  }

  ProgressPrinter start(Duration every) {
    timer.scheduleAtFixedRate(this::printSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  void printNow() {
    printSafely();
  }

  private void printSafely() {
    try {
      out.println(line());
    } catch (RuntimeException e) {
      out.println("progress: unavailable (" + e.getMessage() + ")");
    }
  }

  private String line() {
    Instant now = Instant.now();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "progress %6.1fs", Duration.between(started, now).toMillis() / 1000.0));
    Counters c = counters.get();
    if (c != null) {
      sb.append(" | read ").append(c.read()).append(" published ").append(c.published());
    }
    sb.append(" | applied");
    for (ShardProgress p : reader.read()) {
      sb.append(' ').append(p.shardId()).append('=');
      if (!p.reachable()) {
        sb.append("unreachable");
        continue;
      }
      sb.append(p.appliedCount());
      p.lastAppliedCommit()
          .ifPresent(t -> sb.append(String.format(Locale.ROOT, " (commit lag %.1fs)", Duration.between(t, now).toMillis() / 1000.0)));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
