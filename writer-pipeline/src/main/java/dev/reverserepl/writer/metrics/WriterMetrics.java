package dev.reverserepl.writer.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The writer's Beam metrics, namespace {@value #NAMESPACE}, one metric per shard named {@code <metric>.<shardId>}
 * (documented in the module README).
 */
public final class WriterMetrics {
  public static final String NAMESPACE = "rr.writer";
  public static final String APPLIED = "applied";
  public static final String SKIPPED_DUPLICATES = "skippedDuplicates";
  public static final String STALE_EPOCH = "skippedStaleEpoch";
  public static final String NOT_REPLICATED = "skippedNotReplicated";
  public static final String RETRIED = "retried";
  public static final String DEAD_LETTERED = "deadLettered";
  public static final String UNDECODABLE = "undecodableMessages";
  public static final String BUFFERED = "bufferedEnvelopes";
  public static final String LAG_MILLIS = "lagMillis";
  public static final String SHARD_BLOCKED = "shardBlockedAttempts";
  public static final String BLOCKED_SECONDS = "blockedSeconds";
  public static final String DROPPED_OVER_CAP = "droppedOverCap";
  public static final String RELEASE_RUN = "releaseRunChanges";
  public static final String GAP_ALERTS = "gapAlerts";
  public static final String WAITING_SECONDS = "waitingSeconds";

  private WriterMetrics() {}

  public static Counter counter(String metric, String shardId) {
    return Metrics.counter(NAMESPACE, metric + "." + shardId);
  }

  public static Counter counter(String metric) {
    return Metrics.counter(NAMESPACE, metric);
  }

  public static Gauge gauge(String metric, String shardId) {
    return Metrics.gauge(NAMESPACE, metric + "." + shardId);
  }

  public static Distribution distribution(String metric, String shardId) {
    return Metrics.distribution(NAMESPACE, metric + "." + shardId);
  }

  public static void inc(String metric, String shardId, long n) {
    if (n != 0) {
      counter(metric, shardId).inc(n);
    }
  }
}
