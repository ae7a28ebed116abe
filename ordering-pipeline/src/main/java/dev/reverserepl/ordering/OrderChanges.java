package dev.reverserepl.ordering;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.ordering.filter.FilterAndSplitFn;
import dev.reverserepl.ordering.filter.RecordFilter;
import dev.reverserepl.ordering.route.FileHistoryRead;
import dev.reverserepl.ordering.route.HistoryInput;
import dev.reverserepl.ordering.route.HistoryResolverFn;
import dev.reverserepl.ordering.route.RouteFn;
import dev.reverserepl.ordering.route.RoutingAttempt;
import dev.reverserepl.ordering.route.RoutingAttemptCoder;
import dev.reverserepl.ordering.route.SplitForHistoryFn;
import dev.reverserepl.ordering.route.SplitRoutedFn;
import dev.reverserepl.ordering.route.StaleReadRetry;
import dev.reverserepl.ordering.sequence.ChangeCoder;
import dev.reverserepl.ordering.sequence.SequenceChanges;
import dev.reverserepl.ordering.sequence.SequencerInput;
import dev.reverserepl.ordering.sequence.SequencerInputCoder;
import dev.reverserepl.ordering.source.FlowGate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Data change records in, ordered envelopes out: forward-migration filter, split into changes,
 * shard routing (shard-id column or custom fetcher, then stale read or stream history for deletes),
 * and the bounded-memory per-{@code shard#partition} sequencer. Usable by the ordering pipeline and
 * in-process by {@code rr replay}.
 */
public final class OrderChanges extends PTransform<PCollection<DataChangeRecord>, OrderingResult> {
  private final OrderingConfig config;
  private final String flowGateId;
  private final FileHistoryRead.Source fileHistory;

  private OrderChanges(
      OrderingConfig config, String flowGateId, FileHistoryRead.Source fileHistory) {
    this.config = config;
    this.flowGateId = flowGateId;
    this.fileHistory = fileHistory;
  }

  public static OrderChanges with(OrderingConfig config) {
    return new OrderChanges(config, null, null);
  }

  /**
   * Rule R2 for a bounded set of files: deletes lacking the shard-id column are resolved from the
   * files' history as they are routed, instead of waiting per row in runner state.
   */
  public OrderChanges withFileHistory(FileHistoryRead.Source source) {
    return new OrderChanges(config, flowGateId, source);
  }

  /** The source {@link #withFileHistory} takes for the files at {@code path}. */
  public FileHistoryRead.Source fileHistoryOf(String path) {
    return FileHistoryRead.source(
        path,
        config.session(),
        new RecordFilter(config.session(), config.filtrationMode()),
        router());
  }

  /**
   * Releases every change leaving these stages to the in-process {@link FlowGate} the file source
   * paces itself by (rule S5).
   */
  public OrderChanges withFlowGate(FlowGate gate) {
    return new OrderChanges(config, gate.id(), fileHistory);
  }

  @Override
  public OrderingResult expand(PCollection<DataChangeRecord> records) {
    PCollection<Change> changes =
        records
            .apply(
                "FilterAndSplit",
                ParDo.of(
                    new FilterAndSplitFn(
                        new RecordFilter(config.session(), config.filtrationMode()), flowGateId)))
            .setCoder(ChangeCoder.of());
    RouteFn route =
        fileHistory != null
            ? new RouteFn(
                router(),
                config.session(),
                fileHistory,
                new StaleReadRetry(StaleReadRetry.Config.defaults()))
            : new RouteFn(router(), config.session(), config.staleReadSpanner());
    PCollection<RoutingAttempt> attempts =
        changes.apply("Route", ParDo.of(route)).setCoder(RoutingAttemptCoder.of());
    if (config.resolveDeletesFromHistory() && fileHistory == null) {
      attempts = resolveFromHistory(attempts);
    }
    PCollectionTuple split =
        attempts.apply(
            "SplitRouted",
            ParDo.of(
                    new SplitRoutedFn(
                        config.partitionsPerShard(),
                        SplitRoutedFn.singleStreamTables(config.session())))
                .withOutputTags(SplitRoutedFn.ROUTED, TupleTagList.of(SplitRoutedFn.DEAD_LETTERS)));
    KvCoder<String, SequencerInput> keyedCoder =
        KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of());
    PCollection<KV<String, SequencerInput>> routed =
        split.get(SplitRoutedFn.ROUTED).setCoder(keyedCoder);
    PCollection<DeadLetter> deadLetters =
        split.get(SplitRoutedFn.DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    if (flowGateId != null) {
      deadLetters =
          deadLetters
              .apply("ReleaseDeadLetters", ParDo.of(new FlowGate.ReleaseFn<>(flowGateId, d -> 1L)))
              .setCoder(SerializableCoder.of(DeadLetter.class));
    }
    if (config.heartbeatSeconds() > 0) {
      PCollection<KV<String, SequencerInput>> ticks =
          records
              .getPipeline()
              .apply(
                  "Heartbeat",
                  GenerateSequence.from(0)
                      .withRate(1, Duration.standardSeconds(config.heartbeatSeconds())))
              .apply("TickEveryKey", ParDo.of(new TickEveryKey(config.sequencerKeys())))
              .setCoder(keyedCoder);
      routed =
          PCollectionList.of(routed).and(ticks).apply("WithHeartbeats", Flatten.pCollections());
    }
    PCollection<Envelope> envelopes =
        routed.apply("Sequence", new SequenceChanges(config.sequencer()));
    if (flowGateId != null) {
      envelopes =
          envelopes
              .apply(
                  "ReleaseSequenced",
                  ParDo.of(new FlowGate.ReleaseFn<>(flowGateId, e -> (long) e.changes().size())))
              .setCoder(envelopes.getCoder());
    }
    return new OrderingResult(records.getPipeline(), envelopes, deadLetters);
  }

  private ShardRouter router() {
    ShardRouter router = new ShardRouter(config.session(), config.shards());
    if (config.shardIdFetcherClass() != null && !config.shardIdFetcherClass().isEmpty()) {
      router = router.withCustomFetcher(config.shardIdFetcherClass());
    }
    return router;
  }

  /** Rule R2: only deletes lacking their shard wait for the row's history; the rest go on. */
  private PCollection<RoutingAttempt> resolveFromHistory(PCollection<RoutingAttempt> attempts) {
    PCollectionTuple parts =
        attempts.apply(
            "SplitForHistory",
            ParDo.of(new SplitForHistoryFn(SplitForHistoryFn.historyTables(config.session())))
                .withOutputTags(SplitForHistoryFn.ON, TupleTagList.of(SplitForHistoryFn.HISTORY)));
    PCollection<RoutingAttempt> released =
        parts
            .get(SplitForHistoryFn.HISTORY)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), HistoryInput.Coder.of()))
            .apply("ResolveDeletesFromHistory", ParDo.of(new HistoryResolverFn()))
            .setCoder(RoutingAttemptCoder.of());
    return PCollectionList.of(parts.get(SplitForHistoryFn.ON).setCoder(RoutingAttemptCoder.of()))
        .and(released)
        .apply("WithReleasedDeletes", Flatten.pCollections());
  }

  /**
   * Fans a heartbeat out to every shard#partition key, so idle keys publish progress markers too.
   */
  static final class TickEveryKey extends DoFn<Long, KV<String, SequencerInput>> {
    private final List<String> keys;

    TickEveryKey(List<String> keys) {
      this.keys = new ArrayList<>(keys);
    }

    @ProcessElement
    public void process(OutputReceiver<KV<String, SequencerInput>> out) {
      for (String k : keys) {
        out.output(KV.of(k, SequencerInput.tick()));
      }
    }
  }
}
