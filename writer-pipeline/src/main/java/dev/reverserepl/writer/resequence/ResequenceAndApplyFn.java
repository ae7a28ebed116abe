package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.ApplySummary;
import dev.reverserepl.writer.apply.ApplyReport;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardAppliers;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Keyed by {@code shard#partition}: resequences the envelopes ({@link Resequencer}) and applies each released run
 * right here, inside the keyed step, so that one key's runs are applied one after another and in order
 * ({@link ShardApplier}). Beam state only holds the resequencing buffer; what is applied is decided by the progress
 * row in MySQL, so a bundle retried after a failure re-applies nothing.
 */
public final class ResequenceAndApplyFn extends DoFn<KV<String, Envelope>, ApplySummary> {
  private final WriterConfig config;
  private transient ShardAppliers appliers;
  private transient DeadLetterQueue deadLetters;

  @StateId("epoch")
  private final StateSpec<ValueState<Long>> epochSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("next")
  private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("pendingCount")
  private final StateSpec<ValueState<Long>> pendingCountSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("pending")
  private final StateSpec<MapState<Long, Envelope>> pendingSpec =
      StateSpecs.map(VarLongCoder.of(), EnvelopeCoder.of());

  @StateId("marker")
  private final StateSpec<ValueState<Envelope>> markerSpec = StateSpecs.value(EnvelopeCoder.of());

  public ResequenceAndApplyFn(WriterConfig config) {
    this.config = config;
  }

  /** The state key of an envelope's stream. */
  public static String key(Envelope e) {
    return e.shardId() + "#" + e.partition();
  }

  @Setup
  public void setup() {
    appliers = new ShardAppliers(config);
    deadLetters = new DeadLetterQueue(config.deadLetterDirectory());
  }

  @Teardown
  public void teardown() {
    if (appliers != null) {
      appliers.close();
    }
  }

  @ProcessElement
  public void process(
      @Element KV<String, Envelope> element,
      @StateId("epoch") ValueState<Long> epoch,
      @StateId("next") ValueState<Long> next,
      @StateId("pendingCount") ValueState<Long> pendingCount,
      @StateId("pending") MapState<Long, Envelope> pending,
      @StateId("marker") ValueState<Envelope> marker,
      OutputReceiver<ApplySummary> out) {
    Envelope e = element.getValue();
    String shard = e.shardId();
    Optional<ShardApplier> applier = appliers.forShard(shard);
    if (applier.isEmpty()) {
      deadLetterUnknownShard(e);
      return;
    }
    ShardApplier a = applier.get();
    BeamResequenceState state = new BeamResequenceState(epoch, next, pendingCount, pending, marker);
    Release r = Resequencer.offer(state, e, () -> position(a, e.partition()));
    WriterMetrics.inc(WriterMetrics.SKIPPED_DUPLICATES, shard, r.duplicates());
    WriterMetrics.inc(WriterMetrics.STALE_EPOCH, shard, r.staleEpoch());
    WriterMetrics.gauge(WriterMetrics.BUFFERED, shard).set(state.pendingCount());
    long now = System.currentTimeMillis();
    if (!r.run().isEmpty()) {
      ApplyReport report = a.apply(e.partition(), r.run(), r.publishedThroughNanos());
      WriterMetrics.inc(WriterMetrics.APPLIED, shard, report.applied());
      WriterMetrics.inc(WriterMetrics.SKIPPED_DUPLICATES, shard, report.duplicates());
      WriterMetrics.inc(WriterMetrics.NOT_REPLICATED, shard, report.notReplicated());
      WriterMetrics.inc(WriterMetrics.DEAD_LETTERED, shard, report.deadLettered());
      WriterMetrics.inc(WriterMetrics.RETRIED, shard, report.retries());
      SequencedChange last = r.run().get(r.run().size() - 1);
      long commitNanos = last.change().position().commitNanos();
      recordLag(shard, now - commitNanos / 1_000_000);
      out.output(
          new ApplySummary(shard, e.partition(), r.epoch(), last.sequence(), report.applied(),
              report.duplicates() + r.duplicates(), report.notReplicated(), report.deadLettered(), report.retries(),
              commitNanos));
    } else if (r.hasMarker()) {
      a.recordPublishedThrough(e.partition(), r.epoch(), r.markerSequence(), r.publishedThroughNanos());
      recordLag(shard, now - r.publishedThroughNanos() / 1_000_000);
    }
  }

  private static void recordLag(String shard, long lagMillis) {
    long lag = Math.max(0, lagMillis);
    WriterMetrics.gauge(WriterMetrics.LAG_MILLIS, shard).set(lag);
    WriterMetrics.distribution(WriterMetrics.LAG_MILLIS, shard).update(lag);
  }

  private static AppliedPosition position(ShardApplier a, int partition) {
    try {
      return a.position(partition);
    } catch (SQLException ex) {
      // Failing the bundle makes the runner retry it; nothing was applied yet.
      throw new IllegalStateException("cannot read the applied position of shard " + a.shardId(), ex);
    }
  }

  private void deadLetterUnknownShard(Envelope e) {
    List<DeadLetter> lines = new ArrayList<>();
    for (SequencedChange c : e.changes()) {
      lines.add(DeadLetter.apply(e.shardId(), c.change(), "shard '" + e.shardId() + "' is not in the shards file",
          1, Instant.now()));
    }
    deadLetters.writeAll(lines);
    WriterMetrics.inc(WriterMetrics.DEAD_LETTERED, e.shardId(), lines.size());
  }
}
