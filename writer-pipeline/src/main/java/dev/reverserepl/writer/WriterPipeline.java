package dev.reverserepl.writer;

import dev.reverserepl.common.config.PubSubEndpoints;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.pipeline.Submission;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ShardPositions;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.options.BufferType;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.options.WriterOptions;
import dev.reverserepl.writer.options.WriterOptionsValidator;
import dev.reverserepl.writer.source.BufferRewind;
import dev.reverserepl.writer.source.KafkaEnvelopeSource;
import dev.reverserepl.writer.source.PubSubEnvelopeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;

/**
 * The writer job: reads the ordered envelopes from Pub/Sub (one subscription per shard) or Kafka,
 * resequences them per {@code (shard, partition)} and applies them to the MySQL shards exactly once
 * ({@link ApplyEnvelopes}).
 */
public final class WriterPipeline {
  private WriterPipeline() {}

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
        "writer",
        () -> run(PipelineOptionsFactory.fromArgs(args).withValidation().as(WriterOptions.class)),
        System.out,
        System.err);
  }

  public static PipelineResult run(WriterOptions options) {
    WriterConfig config = WriterOptionsValidator.toConfig(options);
    if (options.getRewindBufferOnStart()) {
      rewindBuffer(options, config);
    }
    return buildPipeline(options, config).run();
  }

  /**
   * {@link BufferRewind} rules W1–W3: a new writer receives again everything after the shards'
   * positions.
   */
  public static void rewindBuffer(WriterOptions options, WriterConfig config) {
    ShardPositions positions =
        new ShardPositions(
            config.shards(),
            1,
            new ProgressTable(options.getProgressTableName()),
            shard -> {
              java.util.Properties p = new java.util.Properties();
              p.setProperty("user", shard.user());
              String password = config.passwords().password(shard);
              p.setProperty("password", password == null ? "" : password);
              p.setProperty("connectTimeout", "10000");
              return java.sql.DriverManager.getConnection(shard.jdbcUrl(), p);
            });
    Instant oldest = Instant.now().minus(Duration.ofDays(7));
    Map<String, Instant> at =
        BufferRewind.rewindTimes(
            positions.read(), Duration.ofSeconds(options.getRewindMarginSeconds()), oldest);
    try {
      switch (BufferType.parse(options.getBufferType())) {
        case KAFKA ->
            rewindKafka(options, at.values().stream().min(Instant::compareTo).orElse(oldest));
        case PUBSUB -> seekPubSub(options, config, at);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rewinding the buffer", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot rewind the buffer to the shards' positions "
              + at
              + ": "
              + e.getMessage()
              + " (set rewindBufferOnStart=false only for an update that keeps the job's state)",
          e);
    }
  }

  private static void rewindKafka(WriterOptions options, Instant earliest) throws Exception {
    Map<?, Long> offsets =
        BufferRewind.rewindKafka(
            options.getKafkaBootstrapServers(),
            options.getKafkaTopic(),
            options.getKafkaConsumerGroup(),
            earliest);
    System.out.println(
        "writer: Kafka consumer group "
            + options.getKafkaConsumerGroup()
            + " rewound to "
            + earliest
            + " (offsets "
            + offsets
            + ")");
  }

  private static void seekPubSub(
      WriterOptions options, WriterConfig config, Map<String, Instant> at) throws Exception {
    Map<String, String> subscriptions = new LinkedHashMap<>();
    for (Shard s : config.shards()) {
      subscriptions.put(
          s.logicalShardId(),
          options.getSubscriptionPrefix() + s.logicalShardId() + options.getSubscriptionSuffix());
    }
    BufferRewind.seekPubSub(
        options.getPubSubProjectId(), subscriptions, at, options.getPubSubEndpoint());
    System.out.println("writer: subscriptions sought to " + at);
  }

  public static Pipeline buildPipeline(WriterOptions options, WriterConfig config) {
    Pipeline p = Pipeline.create(options);
    PCollection<Envelope> envelopes =
        switch (BufferType.parse(options.getBufferType())) {
          case KAFKA -> readKafka(p, options, config);
          case PUBSUB -> readPubSub(p, options, config);
        };
    envelopes.apply("Apply", ApplyEnvelopes.with(config));
    return p;
  }

  private static PCollection<Envelope> readKafka(
      Pipeline p, WriterOptions options, WriterConfig config) {
    return p.apply(
        "ReadEnvelopes",
        new KafkaEnvelopeSource(
            options.getKafkaBootstrapServers(),
            options.getKafkaTopic(),
            options.getKafkaConsumerGroup(),
            options.getKafkaMaxRecords(),
            config.deadLetterDirectory()));
  }

  private static PCollection<Envelope> readPubSub(
      Pipeline p, WriterOptions options, WriterConfig config) {
    if (!options.getPubSubEndpoint().isEmpty()) {
      options
          .as(PubsubOptions.class)
          .setPubsubRootUrl(PubSubEndpoints.rootUrl(options.getPubSubEndpoint()));
    }
    List<String> subscriptions =
        config.shards().stream()
            .map(Shard::logicalShardId)
            .map(id -> options.getSubscriptionPrefix() + id + options.getSubscriptionSuffix())
            .toList();
    return p.apply(
        "ReadEnvelopes",
        new PubSubEnvelopeSource(
            options.getPubSubProjectId(), subscriptions, config.deadLetterDirectory()));
  }
}
