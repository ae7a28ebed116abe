package dev.reverserepl.ordering;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.ordering.filter.FilterAndSplitFn;
import dev.reverserepl.ordering.filter.RecordFilter;
import dev.reverserepl.ordering.route.HistoryResolverFn;
import dev.reverserepl.ordering.route.RouteFn;
import dev.reverserepl.ordering.route.RoutingAttempt;
import dev.reverserepl.ordering.route.SplitRoutedFn;
import dev.reverserepl.ordering.sequence.ChangeCoder;
import dev.reverserepl.ordering.sequence.SequenceChanges;
import dev.reverserepl.ordering.sequence.SequencerInput;
import dev.reverserepl.ordering.sequence.SequencerInputCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Data change records in, ordered envelopes out: forward-migration filter, split into changes,
 * shard routing (shard-id column or custom fetcher, then stale read or stream history for deletes),
 * and the bounded-memory per-{@code shard#partition} sequencer. Usable by the ordering pipeline and
 * in-process by {@code rr replay}.
 */
public final class OrderChanges extends PTransform<PCollection<DataChangeRecord>, OrderingResult> {
  private final OrderingConfig config;

  private OrderChanges(OrderingConfig config) {
    this.config = config;
  }

  public static OrderChanges with(OrderingConfig config) {
    return new OrderChanges(config);
  }

  @Override
  public OrderingResult expand(PCollection<DataChangeRecord> records) {
    PCollection<Change> changes =
        records
            .apply(
                "FilterAndSplit",
                ParDo.of(
                    new FilterAndSplitFn(
                        new RecordFilter(config.session(), config.filtrationMode()))))
            .setCoder(ChangeCoder.of());
    ShardRouter router = new ShardRouter(config.session(), config.shards());
    if (config.shardIdFetcherClass() != null && !config.shardIdFetcherClass().isEmpty()) {
      router = router.withCustomFetcher(config.shardIdFetcherClass());
    }
    SerializableCoder<RoutingAttempt> attemptCoder = SerializableCoder.of(RoutingAttempt.class);
    PCollection<RoutingAttempt> attempts =
        changes
            .apply(
                "Route", ParDo.of(new RouteFn(router, config.session(), config.staleReadSpanner())))
            .setCoder(attemptCoder);
    if (config.resolveDeletesFromHistory()) {
      attempts =
          attempts
              .apply(
                  "KeyByRow",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.strings(), TypeDescriptor.of(RoutingAttempt.class)))
                      .via(HistoryResolverFn::keyed))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), attemptCoder))
              .apply("ResolveDeletesFromHistory", ParDo.of(new HistoryResolverFn()))
              .setCoder(attemptCoder);
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
    return new OrderingResult(records.getPipeline(), envelopes, deadLetters);
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
