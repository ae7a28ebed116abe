package dev.reverserepl.launcher.run;

import com.google.cloud.Timestamp;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.sink.SinkType;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.source.PubSubEnvelopeSource;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The two pipelines of the emulator chain on the DirectRunner: the production ordering pipeline
 * reading the change stream of the Spanner emulator between two timestamps and publishing to the
 * Pub/Sub emulator, and a writer reading the per-shard subscriptions into MySQL.
 */
public final class EmulatorPipelines {
  public static final String NAMESPACE = "rr.local";

  /**
   * Envelopes a shard's subscription delivered for another shard (the Pub/Sub emulator ignores
   * filters).
   */
  public static final String OTHER_SHARD_ENVELOPES = "emulator_other_shard_envelopes";

  private EmulatorPipelines() {}

  /**
   * The ordering job's options for the emulators: reads {@code names}' change stream from {@code
   * start} to {@code end} and publishes to its topic. {@link #ordering} builds the pipeline; a
   * caller may first resolve the start against the shards ({@code
   * OrderingPipeline.resumeFromShards}) as a launched job does.
   */
  public static OrderingOptions orderingOptions(
      EmulatorResources.Names names,
      String spannerHost,
      String pubsubUrl,
      Timestamp start,
      Timestamp end,
      Path session,
      Path shardsFile,
      int partitionsPerShard,
      String deadLetterDirectory) {
    OrderingOptions o = PipelineOptionsFactory.create().as(OrderingOptions.class);
    DirectOptions direct = o.as(DirectOptions.class);
    direct.setBlockOnRun(false);
    // The emulator fails overlapping read-write transactions on a database (NOT_FOUND "Transaction
    // not found", FAILED_PRECONDITION "Invalid transaction ID"; the client retries neither): one
    // runner thread keeps the connector's metadata transactions from overlapping.
    direct.setTargetParallelism(1);
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    o.as(GcpOptions.class).setCredentialFactoryClass(NoopCredentialFactory.class);
    o.setSpannerProjectId(names.project());
    o.setInstanceId(names.instance());
    o.setDatabaseId(names.database());
    o.setChangeStreamName(names.changeStream());
    o.setMetadataDatabase(names.metadataDatabase());
    o.setSpannerEmulatorHost(spannerHost);
    o.setStartTimestamp(start.toString());
    o.setEndTimestamp(end.toString());
    o.setSessionFilePath(session.toString());
    o.setSourceShardsFilePath(shardsFile.toString());
    o.setPartitionsPerShard(partitionsPerShard);
    o.setSinkType(SinkType.PUBSUB.wireName());
    o.setPubSubProjectId(names.project());
    o.setPubSubDataTopicId(names.topic());
    o.setPubSubEndpoint(pubsubUrl);
    o.setDeadLetterQueueDirectory(deadLetterDirectory);
    return o;
  }

  public static Pipeline ordering(OrderingOptions o) {
    Pipeline p = Pipeline.create(o);
    return OrderingPipeline.buildPipeline(p, o, OrderingPipeline.config(o));
  }

  public static Pipeline writer(
      EmulatorResources.Names names,
      String pubsubUrl,
      List<Shard> shards,
      SessionMapping session,
      String deadLetterDirectory) {
    DirectOptions o = ReplayPipelines.directOptions();
    o.as(PubsubOptions.class).setPubsubRootUrl(pubsubUrl);
    o.as(GcpOptions.class).setCredentialFactoryClass(NoopCredentialFactory.class);
    Pipeline p = Pipeline.create(o);
    PCollectionList<Envelope> all = PCollectionList.empty(p);
    for (Shard s : shards) {
      String id = s.logicalShardId();
      // One source per subscription, so that what a subscription delivers can be held to its own
      // shard.
      all =
          all.and(
              p.apply(
                      "Read " + id,
                      new PubSubEnvelopeSource(names.project(), List.of(id), deadLetterDirectory))
                  .apply("OnlyShard " + id, ParDo.of(new OnlyShardFn(id))));
    }
    all.apply("FlattenShards", Flatten.pCollections())
        .apply(
            "ApplyEnvelopes",
            ApplyEnvelopes.with(WriterConfig.of(shards, session, deadLetterDirectory)));
    return p;
  }

  /**
   * Does what the subscription filter {@code attributes.shardId = "<id>"} does on Google Cloud: the
   * Pub/Sub emulator delivers every message of the topic to every subscription. The others are
   * counted, and arrive through their own shard's subscription.
   */
  static final class OnlyShardFn extends DoFn<Envelope, Envelope> {
    private final String shardId;
    private final Counter other = Metrics.counter(NAMESPACE, OTHER_SHARD_ENVELOPES);

    OnlyShardFn(String shardId) {
      this.shardId = shardId;
    }

    @ProcessElement
    public void process(@Element Envelope e, OutputReceiver<Envelope> out) {
      if (shardId.equals(e.shardId())) {
        out.output(e);
      } else {
        other.inc();
      }
    }
  }
}
