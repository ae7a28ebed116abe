package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.StreamWait;
import dev.reverserepl.writer.ApplySummary;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardAppliers;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by {@code shard#partition}: resequences the envelopes ({@link Resequencer}) and applies
 * each released run right here, inside the keyed step, so that one key's runs are applied one after
 * another and in order ({@link ShardApplier}); the runs that consecutive elements of one bundle
 * release are joined into one apply call ({@link RunCoalescer}). Beam state only holds the
 * resequencing buffer — value cells and one bag, the kinds Dataflow Runner v2 supports — and what
 * is applied is decided by the progress row in MySQL, so a bundle retried after a failure
 * re-applies nothing. Two timers: {@code release} (event time) continues a long release in bounded
 * runs (rule 11), {@code gapAlert} (processing time) reports a stream that waits too long for a
 * missing sequence (rule 13).
 */
public final class ResequenceAndApplyFn extends DoFn<KV<String, Envelope>, ApplySummary> {
  private static final Logger LOG = LoggerFactory.getLogger(ResequenceAndApplyFn.class);

  private final WriterConfig config;
  private transient ShardAppliers appliers;
  private transient Map<String, StreamBookkeeping> bookkeeping;
  private transient DeadLetterQueue deadLetters;
  private transient RunCoalescer<Where> coalescer;

  /** Where a joined run's summary goes at the end of the bundle. */
  private record Where(org.joda.time.Instant timestamp, BoundedWindow window) {}

  @StateId("epoch")
  private final StateSpec<ValueState<Long>> epochSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("next")
  private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("index")
  private final StateSpec<ValueState<PendingIndex>> indexSpec =
      StateSpecs.value(PendingIndexCoder.of());

  // Binary, not the published JSON: a runner may copy the whole buffer through this coder.
  @StateId("pending")
  private final StateSpec<BagState<Envelope>> pendingSpec =
      StateSpecs.bag(PendingEnvelopeCoder.of());

  @StateId("marker")
  private final StateSpec<ValueState<Envelope>> markerSpec =
      StateSpecs.value(PendingEnvelopeCoder.of());

  @StateId("gap")
  private final StateSpec<ValueState<GapWait>> gapSpec = StateSpecs.value(GapWait.Coder.of());

  // Event time at the envelope's own timestamp: it fires as soon as the watermark allows, holds the
  // output
  // watermark until the backlog is out (so a bounded run cannot finish before it), and survives to
  // the end.
  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("gapAlert")
  private final TimerSpec gapAlertSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  public ResequenceAndApplyFn(WriterConfig config) {
    this.config = config;
  }

  /** The state key of an envelope's stream. */
  public static String key(Envelope e) {
    return e.shardId() + "#" + e.partition();
  }

  private static String shardOf(String key) {
    return key.substring(0, key.lastIndexOf('#'));
  }

  private static int partitionOf(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('#') + 1));
  }

  @Setup
  public void setup() {
    appliers = new ShardAppliers(config);
    bookkeeping = new HashMap<>();
    deadLetters = new DeadLetterQueue(config.deadLetterDirectory());
    coalescer = new RunCoalescer<>(config.resequence().maxReleaseChanges());
  }

  @StartBundle
  public void startBundle() {
    // Whatever a failed bundle left unapplied is still in state and is released again.
    coalescer.discard();
  }

  /** Applies the runs this bundle released and joined (see {@link RunCoalescer}). */
  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (RunCoalescer.Applied<Where> a : coalescer.flushAll()) {
      context.output(a.summary(), a.where().timestamp(), a.where().window());
    }
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
      @Timestamp org.joda.time.Instant timestamp,
      BoundedWindow window,
      @StateId("epoch") ValueState<Long> epoch,
      @StateId("next") ValueState<Long> next,
      @StateId("index") ValueState<PendingIndex> index,
      @StateId("pending") BagState<Envelope> pending,
      @StateId("marker") ValueState<Envelope> marker,
      @StateId("gap") ValueState<GapWait> gap,
      @TimerId("release") Timer release,
      @TimerId("gapAlert") Timer gapAlert,
      OutputReceiver<ApplySummary> out) {
    Envelope e = element.getValue();
    Optional<ShardApplier> applier = appliers.forShard(e.shardId());
    if (applier.isEmpty()) {
      deadLetterUnknownShard(e);
      return;
    }
    ShardApplier a = applier.get();
    BeamResequenceState state = new BeamResequenceState(epoch, next, index, pending, marker);
    Release r =
        Resequencer.offer(
            state, e, () -> bookkeeping(a).startPosition(a, e.partition()), config.resequence());
    after(
        element.getKey(),
        a,
        e.partition(),
        r,
        state,
        gap,
        release,
        gapAlert,
        new Where(timestamp, window),
        out);
  }

  @OnTimer("release")
  public void onRelease(
      @Key String key,
      @Timestamp org.joda.time.Instant timestamp,
      BoundedWindow window,
      @StateId("epoch") ValueState<Long> epoch,
      @StateId("next") ValueState<Long> next,
      @StateId("index") ValueState<PendingIndex> index,
      @StateId("pending") BagState<Envelope> pending,
      @StateId("marker") ValueState<Envelope> marker,
      @StateId("gap") ValueState<GapWait> gap,
      @TimerId("release") Timer release,
      @TimerId("gapAlert") Timer gapAlert,
      OutputReceiver<ApplySummary> out) {
    Optional<ShardApplier> applier = appliers.forShard(shardOf(key));
    if (applier.isPresent()) {
      BeamResequenceState state = new BeamResequenceState(epoch, next, index, pending, marker);
      Release r = Resequencer.resume(state, config.resequence());
      after(
          key,
          applier.get(),
          partitionOf(key),
          r,
          state,
          gap,
          release,
          gapAlert,
          new Where(timestamp, window),
          out);
    }
  }

  @OnTimer("gapAlert")
  public void onGapAlert(
      @Key String key,
      @StateId("index") ValueState<PendingIndex> index,
      @StateId("gap") ValueState<GapWait> gap,
      @TimerId("gapAlert") Timer gapAlert) {
    GapWait w = gap.read();
    Optional<ShardApplier> applier = appliers.forShard(shardOf(key));
    if (w == null || applier.isEmpty()) {
      return;
    }
    StreamWait wait =
        new StreamWait(
            shardOf(key),
            partitionOf(key),
            w.epoch(),
            w.missingSequence(),
            Instant.ofEpochMilli(w.sinceMillis()));
    Instant now = Instant.now();
    PendingIndex buffered = index.read();
    LOG.warn(
        "{} ({} changes buffered)", wait.describe(now), buffered == null ? 0 : buffered.changes());
    WriterMetrics.inc(WriterMetrics.GAP_ALERTS, wait.shardId(), 1);
    WriterMetrics.gauge(WriterMetrics.WAITING_SECONDS, wait.shardId())
        .set(wait.waited(now).toSeconds());
    if (!w.reported()) {
      bookkeeping(applier.get()).markWaiting(wait);
      gap.write(w.reportedNow());
    }
    gapAlert.withNoOutputTimestamp().offset(alertAfter()).setRelative();
  }

  private void after(
      String key,
      ShardApplier a,
      int partition,
      Release r,
      ResequenceState state,
      ValueState<GapWait> gap,
      Timer release,
      Timer gapAlert,
      Where where,
      OutputReceiver<ApplySummary> out) {
    for (RunCoalescer.Applied<Where> applied :
        coalescer.offer(key, a, partition, r, state.pendingCount(), where)) {
      out.output(applied.summary());
    }
    if (r.more()) {
      release.set(where.timestamp());
    }
    GapWait before = gap.read();
    GapWait now = GapWait.observe(before, state, System.currentTimeMillis());
    if (now == before) {
      return;
    }
    if (before != null && before.reported()) {
      bookkeeping(a).clearWaiting(partition);
      WriterMetrics.gauge(WriterMetrics.WAITING_SECONDS, a.shardId()).set(0);
    }
    if (now == null) {
      gap.clear();
      gapAlert.clear();
    } else {
      gap.write(now);
      gapAlert.withNoOutputTimestamp().offset(alertAfter()).setRelative();
    }
  }

  private Duration alertAfter() {
    return Duration.millis(config.resequence().gapAlert().toMillis());
  }

  private StreamBookkeeping bookkeeping(ShardApplier a) {
    return bookkeeping.computeIfAbsent(
        a.shardId(),
        id ->
            new StreamBookkeeping(
                config.shard(id).orElseThrow(),
                appliers.dataSource(id).orElseThrow(),
                config.apply().progressTableName(),
                config.retry(),
                new MySqlRetryStrategy()));
  }

  private void deadLetterUnknownShard(Envelope e) {
    List<DeadLetter> lines = new ArrayList<>();
    for (SequencedChange c : e.changes()) {
      lines.add(
          DeadLetter.apply(
              e.shardId(),
              c.change(),
              "shard '" + e.shardId() + "' is not in the shards file",
              1,
              Instant.now()));
    }
    deadLetters.writeAll(lines);
    WriterMetrics.inc(WriterMetrics.DEAD_LETTERED, e.shardId(), lines.size());
  }
}
