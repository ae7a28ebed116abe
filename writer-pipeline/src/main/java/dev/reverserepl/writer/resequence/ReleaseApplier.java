package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.writer.ApplySummary;
import dev.reverserepl.writer.apply.ApplyReport;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies what a {@link Release} set free to its shard and counts it; no Beam state, no timers. */
final class ReleaseApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseApplier.class);

  private ReleaseApplier() {}

  /** The summary of the applied run; empty when nothing was applied. */
  static Optional<ApplySummary> apply(
      ShardApplier a, int partition, Release r, long bufferedEnvelopes) {
    String shard = a.shardId();
    WriterMetrics.inc(WriterMetrics.SKIPPED_DUPLICATES, shard, r.duplicates());
    WriterMetrics.inc(WriterMetrics.STALE_EPOCH, shard, r.staleEpoch());
    WriterMetrics.inc(WriterMetrics.DROPPED_OVER_CAP, shard, r.droppedOverCap());
    WriterMetrics.gauge(WriterMetrics.BUFFERED, shard).set(bufferedEnvelopes);
    if (r.droppedOverCap() > 0) {
      LOG.warn(
          "shard {} partition {} epoch {}: resequencing buffer full, {} changes dropped from state (not applied;"
              + " they come back when re-published from the shard's applied position)",
          shard,
          partition,
          r.epoch(),
          r.droppedOverCap());
    }
    long now = System.currentTimeMillis();
    if (!r.run().isEmpty()) {
      WriterMetrics.distribution(WriterMetrics.RELEASE_RUN, shard).update(r.run().size());
      ApplyReport report = a.apply(partition, r.run(), r.publishedThroughNanos());
      WriterMetrics.inc(WriterMetrics.APPLIED, shard, report.applied());
      WriterMetrics.inc(WriterMetrics.SKIPPED_DUPLICATES, shard, report.duplicates());
      WriterMetrics.inc(WriterMetrics.NOT_REPLICATED, shard, report.notReplicated());
      WriterMetrics.inc(WriterMetrics.DEAD_LETTERED, shard, report.deadLettered());
      WriterMetrics.inc(WriterMetrics.RETRIED, shard, report.retries());
      SequencedChange last = r.run().get(r.run().size() - 1);
      long commitNanos = last.change().position().commitNanos();
      recordLag(shard, now - commitNanos / 1_000_000);
      return Optional.of(
          new ApplySummary(
              shard,
              partition,
              r.epoch(),
              last.sequence(),
              report.applied(),
              report.duplicates() + r.duplicates(),
              report.notReplicated(),
              report.deadLettered(),
              report.retries(),
              commitNanos));
    }
    if (r.hasMarker()) {
      a.recordPublishedThrough(partition, r.epoch(), r.markerSequence(), r.publishedThroughNanos());
      recordLag(shard, now - r.publishedThroughNanos() / 1_000_000);
    }
    return Optional.empty();
  }

  private static void recordLag(String shard, long lagMillis) {
    long lag = Math.max(0, lagMillis);
    WriterMetrics.gauge(WriterMetrics.LAG_MILLIS, shard).set(lag);
    WriterMetrics.distribution(WriterMetrics.LAG_MILLIS, shard).update(lag);
  }
}
