package dev.reverserepl.ordering;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Options.RpcPriority;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.config.PubSubEndpoints;
import dev.reverserepl.common.pipeline.Submission;
import dev.reverserepl.common.progress.ShardPositions;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.resume.ChangeStreamRetention;
import dev.reverserepl.ordering.resume.StartPoint;
import dev.reverserepl.ordering.route.SpannerCoordinates;
import dev.reverserepl.ordering.sequence.SequencerConfig;
import dev.reverserepl.ordering.sink.EnvelopeMessages;
import dev.reverserepl.ordering.sink.KafkaSink;
import dev.reverserepl.ordering.sink.PubSubSink;
import dev.reverserepl.ordering.sink.SinkType;
import dev.reverserepl.ordering.sink.WriteDeadLetters;
import dev.reverserepl.ordering.source.ChangeRecordFiles;
import dev.reverserepl.ordering.source.FollowChangeRecordFiles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.io.gcp.spanner.SpannerConfig;
import org.apache.beam.sdk.io.gcp.spanner.SpannerIO;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordering job: Spanner change stream (or change-record files) → forward-migration filter →
 * shard routing → bounded-memory per-shard sequencer → Pub/Sub or Kafka. {@code main} → {@link
 * #run} → {@link #buildPipeline}.
 */
public final class OrderingPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(OrderingPipeline.class);

  private OrderingPipeline() {}

  /**
   * The Flex Template entry point: submits the job and exits with {@link Submission}'s status,
   * without waiting (rules M1, M2). Local runs call {@link #run} and wait themselves.
   */
  public static void main(String[] args) {
    // exit explicitly: a runner may leave non-daemon threads behind
    System.exit(submit(args));
  }

  /** Rules M1, M2: parses {@code args}, submits the pipeline once and returns the exit status. */
  public static int submit(String[] args) {
    return Submission.submit(
        "ordering",
        () -> run(PipelineOptionsFactory.fromArgs(args).withValidation().as(OrderingOptions.class)),
        System.out,
        System.err);
  }

  public static PipelineResult run(OrderingOptions options) {
    resumeFromShards(options);
    OrderingConfig config = config(options);
    return buildPipeline(Pipeline.create(options), options, config).run();
  }

  /**
   * Where a new job's change-stream read begins ({@link StartPoint} rules R1–R4): the shards'
   * applied positions decide it unless {@code startTimestamp} is given; every stream without a row
   * is then registered as complete through the start, so that every stream is known before anything
   * is applied. Sets {@code startTimestamp}. Change-record files are always read from their
   * beginning (a delete may need the row's history), so there the shards' positions only make the
   * writer skip what is already applied.
   */
  public static void resumeFromShards(OrderingOptions options) {
    if (!options.getChangeRecordsPath().isEmpty()) {
      return;
    }
    timestamp("startTimestamp", options.getStartTimestamp());
    List<Shard> shards = ShardsFile.load(options.getSourceShardsFilePath());
    ShardPositions positions =
        ShardPositions.of(shards, options.getPartitionsPerShard(), options.getProgressTableName());
    Optional<java.time.Instant> explicit =
        options.getStartTimestamp().isEmpty()
            ? Optional.empty()
            : Optional.of(
                Timestamp.parseTimestamp(options.getStartTimestamp()).toSqlTimestamp().toInstant());
    ShardPositions.Snapshot applied;
    try {
      applied = positions.read();
    } catch (IllegalStateException e) {
      throw new ConfigException(
          options.getSourceShardsFilePath(),
          "",
          "",
          e.getMessage()
              + " (the ordering job resumes from what the shards hold; it must reach them at launch)",
          e);
    }
    StartPoint start =
        StartPoint.decide(
            explicit,
            applied,
            options.getAllowStartAfterShardPositions(),
            retention(options),
            java.time.Instant.now());
    int registered = positions.register(start.start());
    LOG.info(
        "ordering: change stream read starts at {} ({}); {} stream(s) registered",
        start.start(),
        start.explanation(),
        registered);
    System.out.println(
        "ordering: change stream read starts at "
            + start.start()
            + " ("
            + start.explanation()
            + ")");
    options.setStartTimestamp(start.start().toString());
  }

  private static Duration retention(OrderingOptions options) {
    try {
      return ChangeStreamRetention.read(spanner(options), options.getChangeStreamName());
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot read the retention of change stream {} ({}); assuming {}",
          options.getChangeStreamName(),
          e.getMessage(),
          ChangeStreamRetention.DEFAULT);
      return ChangeStreamRetention.DEFAULT;
    }
  }

  /** Loads and checks everything the options name, before any pipeline is built. */
  public static OrderingConfig config(OrderingOptions options) {
    SessionMapping session = SessionMapping.load(options.getSessionFilePath());
    List<Shard> shards = ShardsFile.load(options.getSourceShardsFilePath());
    long epoch =
        options.getEpoch() == null || options.getEpoch() == 0
            ? System.currentTimeMillis()
            : options.getEpoch();
    boolean fromFiles = !options.getChangeRecordsPath().isEmpty();
    FiltrationMode filtration = checkOptions(options, fromFiles);
    SequencerConfig sequencer =
        SequencerConfig.defaults(epoch)
            .withBucketMillis(options.getSequencerBucketMillis())
            .withMaxChangesPerEnvelope(options.getMaxChangesPerEnvelope())
            .withMaxEnvelopeBytes(options.getMaxEnvelopeBytes());
    OrderingConfig config =
        OrderingConfig.of(session, shards, epoch)
            .withFiltrationMode(filtration)
            .withPartitionsPerShard(options.getPartitionsPerShard())
            .withSequencer(sequencer)
            .withShardIdFetcherClass(
                options.getShardIdFetcherClass().isEmpty()
                    ? null
                    : options.getShardIdFetcherClass())
            .withResolveDeletesFromHistory(fromFiles);
    if (!fromFiles) {
      config =
          config
              .withStaleReadSpanner(spanner(options))
              // the heartbeat source is unbounded: only for an endless read, or a bounded one would
              // never finish
              .withHeartbeatSeconds(
                  options.getEndTimestamp().isEmpty() ? options.getProgressIntervalSeconds() : 0);
    } else if (options.getFollowChangeRecords()) {
      config = config.withHeartbeatSeconds(options.getProgressIntervalSeconds());
    }
    return config;
  }

  /** Checks the options that no file is needed for; returns the filtration mode they name. */
  private static FiltrationMode checkOptions(OrderingOptions options, boolean fromFiles) {
    if (!fromFiles && (options.getInstanceId().isEmpty() || options.getDatabaseId().isEmpty())) {
      throw new ConfigException(
          "options",
          "",
          "instanceId/databaseId",
          "needed to read the change stream (or give changeRecordsPath to read files)");
    }
    SinkType.parse(options.getSinkType());
    FiltrationMode filtration = FiltrationMode.parse(options.getFiltrationMode());
    if (!fromFiles) {
      timestamp("startTimestamp", options.getStartTimestamp());
      timestamp("endTimestamp", options.getEndTimestamp());
      rpcPriority(options.getRpcPriority());
    }
    if (options.getPubSubDataTopicId().startsWith("projects/")) {
      throw new ConfigException(
          "options",
          "",
          "pubSubDataTopicId",
          "give the topic id without the projects/.../topics/ prefix");
    }
    return filtration;
  }

  public static Pipeline buildPipeline(
      Pipeline pipeline, OrderingOptions options, OrderingConfig config) {
    OrderingResult ordered =
        readChanges(pipeline, options).apply("OrderChanges", orderChanges(options, config));
    // with no directory the dead letters are logged in full
    ordered
        .deadLetters()
        .apply("DeadLetters", WriteDeadLetters.to(options.getDeadLetterQueueDirectory()));
    switch (SinkType.parse(options.getSinkType())) {
      case NONE -> {}
      case KAFKA -> toKafka(ordered, options, config);
      case PUBSUB -> toPubSub(ordered, options);
    }
    return pipeline;
  }

  /**
   * Rule R2: a bounded set of files is its own history, read once per worker; files still arriving
   * ({@code followChangeRecords}) leave deletes to the per-row stage.
   */
  private static OrderChanges orderChanges(OrderingOptions options, OrderingConfig config) {
    OrderChanges ordering = OrderChanges.with(config);
    String path = options.getChangeRecordsPath();
    if (path.isEmpty() || options.getFollowChangeRecords()) {
      return ordering;
    }
    return ordering.withFileHistory(ordering.fileHistoryOf(path));
  }

  private static void toKafka(
      OrderingResult ordered, OrderingOptions options, OrderingConfig config) {
    ordered
        .envelopes()
        .apply(
            "ToKafka",
            KafkaSink.to(options.getKafkaBootstrapServers(), options.getKafkaTopic())
                .withPartitioning(
                    new EnvelopeMessages(config.shards(), options.getKafkaTopicPartitions()))
                .withClaimCheckDirectory(claimCheckDirectory(options)));
  }

  private static void toPubSub(OrderingResult ordered, OrderingOptions options) {
    if (!options.getPubSubEndpoint().isEmpty()) {
      options
          .as(PubsubOptions.class)
          .setPubsubRootUrl(PubSubEndpoints.rootUrl(options.getPubSubEndpoint()));
    }
    ordered
        .envelopes()
        .apply(
            "ToPubSub",
            PubSubSink.to(pubSubProject(options), options.getPubSubDataTopicId())
                .withOrderingKeys(options.getPubSubOrderingKeys())
                .withClaimCheckDirectory(claimCheckDirectory(options)));
  }

  /** Where oversized envelopes go: the option, else beside the dead letters, else nowhere. */
  static String claimCheckDirectory(OrderingOptions options) {
    if (!options.getClaimCheckDirectory().isEmpty()) {
      return options.getClaimCheckDirectory();
    }
    String dlq = options.getDeadLetterQueueDirectory();
    return dlq.isEmpty() ? "" : (dlq.endsWith("/") ? dlq : dlq + "/") + "claim-check";
  }

  /** Either source gives the same records, with event time = commit timestamp. */
  public static PCollection<DataChangeRecord> readChanges(
      Pipeline pipeline, OrderingOptions options) {
    if (!options.getChangeRecordsPath().isEmpty() && options.getFollowChangeRecords()) {
      return pipeline.apply(
          "FollowChangeRecordFiles",
          Read.from(
              new FollowChangeRecordFiles(
                  options.getChangeRecordsPath(),
                  200,
                  options.getFollowChangeRecordsMaxDelaySeconds() * 1000)));
    }
    if (!options.getChangeRecordsPath().isEmpty()) {
      return pipeline.apply(
          "ReadChangeRecordFiles", ChangeRecordFiles.from(options.getChangeRecordsPath()));
    }
    SpannerCoordinates db = spanner(options);
    SpannerConfig spannerConfig =
        SpannerConfig.create()
            .withProjectId(db.projectId())
            .withInstanceId(db.instanceId())
            .withDatabaseId(db.databaseId())
            .withRpcPriority(StaticValueProvider.of(RpcPriority.valueOf(options.getRpcPriority())));
    if (db.emulatorHost() != null) {
      spannerConfig = spannerConfig.withEmulatorHost(StaticValueProvider.of(db.emulatorHost()));
    } else if (!options.getSpannerHost().isEmpty()) {
      spannerConfig = spannerConfig.withHost(StaticValueProvider.of(options.getSpannerHost()));
    }
    SpannerIO.ReadChangeStream read =
        SpannerIO.readChangeStream()
            .withSpannerConfig(spannerConfig)
            .withChangeStreamName(options.getChangeStreamName())
            .withMetadataInstance(
                options.getMetadataInstance().isEmpty()
                    ? db.instanceId()
                    : options.getMetadataInstance())
            .withMetadataDatabase(options.getMetadataDatabase())
            .withRpcPriority(RpcPriority.valueOf(options.getRpcPriority()))
            .withInclusiveStartAt(
                options.getStartTimestamp().isEmpty()
                    ? Timestamp.now()
                    : Timestamp.parseTimestamp(options.getStartTimestamp()));
    if (!options.getEndTimestamp().isEmpty()) {
      read = read.withInclusiveEndAt(Timestamp.parseTimestamp(options.getEndTimestamp()));
    }
    return pipeline.apply("ReadChangeStream", read);
  }

  static SpannerCoordinates spanner(OrderingOptions options) {
    String project =
        options.getSpannerProjectId().isEmpty()
            ? options.as(GcpOptions.class).getProject()
            : options.getSpannerProjectId();
    if (project == null || project.isEmpty()) {
      throw new ConfigException(
          "options", "", "spannerProjectId", "the Spanner project is not set");
    }
    String emulator =
        options.getSpannerEmulatorHost().isEmpty() ? null : options.getSpannerEmulatorHost();
    return new SpannerCoordinates(
        project, options.getInstanceId(), options.getDatabaseId(), emulator);
  }

  static String pubSubProject(OrderingOptions options) {
    if (!options.getPubSubProjectId().isEmpty()) {
      return options.getPubSubProjectId();
    }
    String p =
        options.getSpannerProjectId().isEmpty()
            ? options.as(GcpOptions.class).getProject()
            : options.getSpannerProjectId();
    if (p == null || p.isEmpty()) {
      throw new ConfigException("options", "", "pubSubProjectId", "the Pub/Sub project is not set");
    }
    return p;
  }

  private static void timestamp(String option, String value) {
    if (value.isEmpty()) {
      return;
    }
    try {
      Timestamp.parseTimestamp(value);
    } catch (RuntimeException e) {
      throw new ConfigException(
          "options", "", option, "is not an RFC 3339 timestamp: '" + value + "'");
    }
  }

  private static void rpcPriority(String value) {
    try {
      RpcPriority.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "options", "", "rpcPriority", "must be LOW, MEDIUM or HIGH, got '" + value + "'");
    }
  }
}
