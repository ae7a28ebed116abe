package dev.reverserepl.ordering;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Options.RpcPriority;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.route.SpannerCoordinates;
import dev.reverserepl.ordering.sequence.SequencerConfig;
import dev.reverserepl.ordering.sink.DeadLetterSink;
import dev.reverserepl.ordering.sink.EnvelopeMessages;
import dev.reverserepl.ordering.sink.KafkaSink;
import dev.reverserepl.ordering.sink.PubSubSink;
import dev.reverserepl.ordering.source.ChangeRecordFiles;
import dev.reverserepl.ordering.source.SpannerChangeStream;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spanner change stream (or change-record files) → forward-migration filter → shard routing → per-shard sequencer →
 * Pub/Sub or Kafka. Guarantees: module README.
 */
public final class OrderingPipeline {
  private OrderingPipeline() {}

  public static void main(String[] args) {
    OrderingOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(OrderingOptions.class);
    int code = 0;
    try {
      PipelineResult result = run(options);
      if (options.getRunner() == DirectRunner.class) {
        result.waitUntilFinish();
      }
    } catch (ConfigException e) {
      System.err.println("ERROR: " + e.getMessage());
      code = 2;
    }
    // the DirectRunner leaves a non-daemon thread behind
    System.exit(code);
  }

  public static PipelineResult run(OrderingOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    return pipeline.run();
  }

  /** Validates the options, then adds source, ordering and sink to {@code pipeline}. */
  public static OrderingResult buildPipeline(Pipeline pipeline, OrderingOptions options) {
    OrderingConfig config = config(options);
    OrderingResult result = readChanges(pipeline, options).apply("OrderChanges", OrderChanges.with(config));
    result.deadLetters().apply("DeadLetters", new DeadLetterSink(options.getDeadLetterQueueDirectory()));
    String sink = options.getSinkType().toLowerCase(Locale.ROOT);
    EnvelopeMessages messages = new EnvelopeMessages(config.shards(), options.getKafkaTopicPartitions());
    switch (sink) {
      case OrderingOptions.SINK_PUBSUB -> {
        if (!options.getPubSubEndpoint().isEmpty()) {
          options.as(PubsubOptions.class).setPubsubRootUrl(stripSlash(options.getPubSubEndpoint()));
        }
        String topic = "projects/" + pubSubProject(options) + "/topics/" + options.getPubSubDataTopicId();
        result.envelopes().apply("PublishPubSub", new PubSubSink(topic, options.getPubSubOrderingKeys(), messages));
      }
      case OrderingOptions.SINK_KAFKA ->
          result.envelopes()
              .apply("PublishKafka",
                  new KafkaSink(options.getKafkaBootstrapServers(), options.getKafkaTopic(), messages));
      default -> {
        // SINK_NONE: the caller consumes result.envelopes() in-process
      }
    }
    return result;
  }

  /** Change records from the Spanner change stream, or from {@code changeRecordsPath} when it is set. */
  public static PCollection<DataChangeRecord> readChanges(Pipeline pipeline, OrderingOptions options) {
    if (!options.getChangeRecordsPath().isEmpty()) {
      return pipeline.apply("ReadChangeRecordFiles", new ChangeRecordFiles(options.getChangeRecordsPath()));
    }
    return pipeline.apply(
        "ReadSpanner",
        new SpannerChangeStream(
            spanner(options),
            options.getSpannerHost(),
            options.getChangeStreamName(),
            orDefault(options.getMetadataInstance(), options.getInstanceId()),
            orDefault(options.getMetadataDatabase(), options.getDatabaseId()),
            timestamp("startTimestamp", options.getStartTimestamp(), Timestamp.now()),
            timestamp("endTimestamp", options.getEndTimestamp(), null),
            rpcPriority(options.getRpcPriority())));
  }

  /** Loads the session and shards files and checks every option; errors name the option or file. */
  public static OrderingConfig config(OrderingOptions o) {
    require("sessionFilePath", o.getSessionFilePath());
    require("sourceShardsFilePath", o.getSourceShardsFilePath());
    String filtration = o.getFiltrationMode().toLowerCase(Locale.ROOT);
    if (!filtration.equals(OrderingOptions.FILTRATION_FORWARD_MIGRATION) && !filtration.equals(OrderingOptions.FILTRATION_NONE)) {
      throw bad("filtrationMode", "must be forward_migration or none, got '" + o.getFiltrationMode() + "'");
    }
    String sink = o.getSinkType().toLowerCase(Locale.ROOT);
    switch (sink) {
      case OrderingOptions.SINK_PUBSUB -> require("pubSubDataTopicId", o.getPubSubDataTopicId());
      case OrderingOptions.SINK_KAFKA -> {
        require("kafkaBootstrapServers", o.getKafkaBootstrapServers());
        require("kafkaTopic", o.getKafkaTopic());
      }
      case OrderingOptions.SINK_NONE -> { }
      default -> throw bad("sinkType", "must be pubsub, kafka or none, got '" + o.getSinkType() + "'");
    }
    boolean files = !o.getChangeRecordsPath().isEmpty();
    if (!files) {
      require("changeStreamName", o.getChangeStreamName());
      require("instanceId", o.getInstanceId());
      require("databaseId", o.getDatabaseId());
      timestamp("startTimestamp", o.getStartTimestamp(), null);
      timestamp("endTimestamp", o.getEndTimestamp(), null);
      rpcPriority(o.getRpcPriority());
    }
    if (o.getPartitionsPerShard() < 1) {
      throw bad("partitionsPerShard", "must be >= 1, got " + o.getPartitionsPerShard());
    }
    if (o.getProgressIntervalSeconds() < 0) {
      throw bad("progressIntervalSeconds", "must be >= 0, got " + o.getProgressIntervalSeconds());
    }
    SequencerConfig sequencer;
    try {
      sequencer =
          new SequencerConfig(o.getEpoch(), o.getSequencerBucketMillis(), o.getMaxChangesPerEnvelope(), o.getMaxEnvelopeBytes());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pipeline options", "", "", e.getMessage());
    }
    SessionMapping session = SessionMapping.load(o.getSessionFilePath());
    List<Shard> shards = ShardsFile.load(o.getSourceShardsFilePath());
    // a heartbeat keeps an unbounded pipeline running: only for an endless change-stream read
    boolean endless = !files && o.getEndTimestamp().isEmpty();
    return new OrderingConfig(
        session,
        shards,
        filtration,
        o.getPartitionsPerShard(),
        sequencer,
        o.getShardIdFetcherClass().isEmpty() ? null : o.getShardIdFetcherClass(),
        files,
        files ? null : spanner(o),
        endless ? o.getProgressIntervalSeconds() : 0);
  }

  static SpannerCoordinates spanner(OrderingOptions o) {
    String project = o.getSpannerProjectId();
    if (project.isEmpty()) {
      project = o.as(GcpOptions.class).getProject();
    }
    if (project == null || project.isEmpty()) {
      throw bad("spannerProjectId", "is required (or set --project)");
    }
    return new SpannerCoordinates(
        project, o.getInstanceId(), o.getDatabaseId(), o.getSpannerEmulatorHost().isEmpty() ? null : o.getSpannerEmulatorHost());
  }

  private static String pubSubProject(OrderingOptions o) {
    if (!o.getPubSubProjectId().isEmpty()) {
      return o.getPubSubProjectId();
    }
    return spannerProjectOrDefault(o);
  }

  private static String spannerProjectOrDefault(OrderingOptions o) {
    if (!o.getSpannerProjectId().isEmpty()) {
      return o.getSpannerProjectId();
    }
    String p = o.as(GcpOptions.class).getProject();
    if (p == null || p.isEmpty()) {
      throw bad("pubSubProjectId", "is required (or set spannerProjectId or --project)");
    }
    return p;
  }

  private static Timestamp timestamp(String option, String value, Timestamp otherwise) {
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    try {
      return Timestamp.parseTimestamp(value);
    } catch (RuntimeException e) {
      throw bad(option, "is not an RFC 3339 timestamp: '" + value + "'");
    }
  }

  private static RpcPriority rpcPriority(String value) {
    try {
      return RpcPriority.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("rpcPriority", "must be LOW, MEDIUM or HIGH, got '" + value + "'");
    }
  }

  private static void require(String option, String value) {
    if (value == null || value.isBlank()) {
      throw bad(option, "is required");
    }
  }

  private static ConfigException bad(String option, String problem) {
    return new ConfigException("pipeline options", "", option, problem);
  }

  private static String orDefault(String value, String otherwise) {
    return value == null || value.isEmpty() ? otherwise : value;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
