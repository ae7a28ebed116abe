package dev.reverserepl.launcher.run;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads Beam counters of a running or finished pipeline. Live views use attempted values (what the
 * progress line shows); final summaries use committed values where the runner has them.
 */
public final class MetricsView {
  private final Map<String, Long> counters = new TreeMap<>();

  private MetricsView() {}

  public static MetricsView of(PipelineResult result, boolean committed) {
    MetricsView view = new MetricsView();
    if (result == null) {
      return view;
    }
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : q.getCounters()) {
      Long v = null;
      if (committed) {
        try {
          v = c.getCommitted();
        } catch (UnsupportedOperationException e) {
          v = null;
        }
      }
      if (v == null) {
        v = c.getAttempted();
      }
      String key = c.getName().getNamespace() + ":" + c.getName().getName();
      view.counters.merge(key, v == null ? 0L : v, Long::sum);
    }
    return view;
  }

  /** The counter {@code namespace:name}, 0 when absent. */
  public long get(String namespace, String name) {
    return counters.getOrDefault(namespace + ":" + name, 0L);
  }

  /** Per-shard counters named {@code <metric>/<shardId>}: shard id → value. */
  Map<String, Long> perShard(String namespace, String metric) {
    return perLabel(namespace, metric);
  }

  /** Counters named {@code <metric>/<label>} (a shard id, a table): label → value. */
  Map<String, Long> perLabel(String namespace, String metric) {
    Map<String, Long> out = new TreeMap<>();
    String prefix = namespace + ":" + metric + "/";
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return out;
  }

  public long sumPerShard(String namespace, String metric) {
    return perShard(namespace, metric).values().stream().mapToLong(Long::longValue).sum();
  }
}
