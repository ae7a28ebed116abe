package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.time.Instant;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The cut-back target of a run: the newest Spanner commit the ordering job has read (its routing
 * gauge) and the newest published-through time its envelopes and markers carried to the writer (the
 * writer's gauge) — whichever of the two jobs runs in this process. Never the newest applied
 * commit: that would let a shard look complete while later commits are still in flight.
 */
final class SourceCommits {
  private SourceCommits() {}

  static void observe(
      ShardsProgressSource progress, PipelineResult ordering, PipelineResult writer) {
    gauge(ordering, OrderingMetrics.NAMESPACE, OrderingMetrics.NEWEST_COMMIT_READ, progress);
    gauge(writer, WriterMetrics.NAMESPACE, WriterMetrics.NEWEST_PUBLISHED_THROUGH, progress);
  }

  private static void gauge(
      PipelineResult r, String namespace, String name, ShardsProgressSource progress) {
    if (r == null) {
      return;
    }
    try {
      for (MetricResult<GaugeResult> g :
          r.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(namespace, name))
                      .build())
              .getGauges()) {
        GaugeResult v = g.getAttempted();
        if (v != null && v.getValue() > 0) {
          progress.observeSourceCommit(Instant.ofEpochMilli(v.getValue()));
        }
      }
    } catch (RuntimeException e) {
      // Metrics are best effort while a pipeline starts or stops; the next poll reads them again.
    }
  }
}
