package dev.reverserepl.bench;

import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;

/**
 * Commit → MySQL lag sampled every 100 ms for the given seconds of a paced, unbounded run, from its
 * first applied change on and while changes keep arriving: now − commit time of the last applied
 * change, from the shards' progress rows. Each sample keeps when it was taken, so that the first
 * and the second half of the run can be compared (a flat lag has the same p99 in both).
 */
final class LagSamples {
  private final List<long[]> samples = new ArrayList<>();

  static LagSamples sample(
      EmbeddedMySql mysql, List<Shard> targets, PipelineResult result, int seconds)
      throws InterruptedException {
    LagSamples out = new LagSamples();
    ProgressTable progress = new ProgressTable(ProgressTable.DEFAULT_NAME);
    long begin = System.currentTimeMillis();
    // The clock starts with the first applied change (after the pipeline's start-up) and runs
    // while arrivals go on: a sample taken after they stopped would measure the idle time since the
    // last commit, not lag.
    long deadline = Long.MAX_VALUE;
    while (result.getState() == PipelineResult.State.RUNNING
        && System.currentTimeMillis() < deadline) {
      long now = ChangePosition.toNanos(Instant.now());
      for (Shard s : targets) {
        out.sampleShard(mysql, s, progress, now, begin);
      }
      if (deadline == Long.MAX_VALUE && !out.samples.isEmpty()) {
        deadline = System.currentTimeMillis() + seconds * 1000L;
      }
      Thread.sleep(100);
    }
    return out;
  }

  private void sampleShard(
      EmbeddedMySql mysql, Shard s, ProgressTable progress, long now, long begin) {
    try (Connection c = mysql.connect(s.dbName())) {
      for (AppliedPosition ap : progress.readAll(c)) {
        if (!ap.isInitial()) {
          samples.add(
              new long[] {
                System.currentTimeMillis() - begin, (now - ap.position().commitNanos()) / 1_000_000
              });
        }
      }
    } catch (Exception e) {
      // The table appears with the first batch.
    }
  }

  int size() {
    return samples.size();
  }

  /** p99 lag in ms of the samples taken between the fractions {@code from} and {@code to}. */
  long p99(double from, double to) {
    return percentile(0.99, from, to);
  }

  private long percentile(double q, double from, double to) {
    if (samples.isEmpty()) {
      return -1;
    }
    long first = samples.get(0)[0];
    long last = samples.get(samples.size() - 1)[0];
    double span = Math.max(1, last - first);
    long[] v =
        samples.stream()
            .filter(s -> (s[0] - first) / span >= from && (s[0] - first) / span <= to)
            .mapToLong(s -> s[1])
            .sorted()
            .toArray();
    if (v.length == 0) {
      return -1;
    }
    return v[(int) Math.min(v.length - 1, Math.floor(v.length * q))];
  }

  String describe() {
    if (samples.isEmpty()) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "p50 %d ms, p99 %d ms (1st half p99 %d, 2nd half p99 %d)",
        percentile(0.5, 0, 1),
        p99(0, 1),
        p99(0, 0.5),
        p99(0.5, 1));
  }
}
