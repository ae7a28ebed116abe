package dev.reverserepl.writer.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The writer's Beam metrics, namespace {@value #NAMESPACE}, snake_case names, one metric per shard
 * named {@code <metric>/<shardId>} (the convention of both jobs, documented in docs/operate.md
 * "Metrics").
 */
public final class WriterMetrics {
  public static final String NAMESPACE = "rr.writer";
  public static final String APPLIED = "applied";
  public static final String SKIPPED_DUPLICATES = "skipped_duplicates";
  public static final String STALE_EPOCH = "skipped_stale_epoch";
  public static final String NOT_REPLICATED = "skipped_not_replicated";
  public static final String RETRIED = "retried";
  public static final String DEAD_LETTERED = "dead_lettered";
  public static final String UNDECODABLE = "undecodable_messages";
  public static final String BUFFERED = "buffered_envelopes";
  public static final String LAG_MILLIS = "lag_millis";
  public static final String DROPPED_OVER_CAP = "dropped_over_cap";
  public static final String RELEASE_RUN = "release_run_changes";
  public static final String GAP_ALERTS = "gap_alerts";
  public static final String WAITING_SECONDS = "waiting_seconds";

  /** Between a metric and the shard id; shard ids (valid subscription names) never contain it. */
  public static final String SEPARATOR = "/";

  /**
   * Gauge (no shard): the newest published-through time (epoch ms) any envelope or marker carried.
   */
  public static final String NEWEST_PUBLISHED_THROUGH = "newest_published_through_millis";

  public static final String SHARD_BLOCKED = "shard_blocked_attempts";
  public static final String BLOCKED_SECONDS = "blocked_seconds";

  private WriterMetrics() {}

  public static Counter counter(String metric, String shardId) {
    return Metrics.counter(NAMESPACE, metric + SEPARATOR + shardId);
  }

  public static Counter counter(String metric) {
    return Metrics.counter(NAMESPACE, metric);
  }

  public static Gauge gauge(String metric, String shardId) {
    return Metrics.gauge(NAMESPACE, metric + SEPARATOR + shardId);
  }

  public static Distribution distribution(String metric, String shardId) {
    return Metrics.distribution(NAMESPACE, metric + SEPARATOR + shardId);
  }

  public static void inc(String metric, String shardId, long n) {
    if (n != 0) {
      counter(metric, shardId).inc(n);
    }
  }
}
