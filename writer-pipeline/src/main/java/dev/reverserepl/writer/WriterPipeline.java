package dev.reverserepl.writer;

import dev.reverserepl.common.config.PubSubEndpoints;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.pipeline.Submission;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.options.WriterOptions;
import dev.reverserepl.writer.options.WriterOptionsValidator;
import dev.reverserepl.writer.source.KafkaEnvelopeSource;
import dev.reverserepl.writer.source.PubSubEnvelopeSource;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;

/**
 * The writer job: reads the ordered envelopes from Pub/Sub (one subscription per shard) or Kafka, resequences them
 * per {@code (shard, partition)} and applies them to the MySQL shards exactly once ({@link ApplyEnvelopes}).
 */
public final class WriterPipeline {
  private WriterPipeline() {}

  /**
   * The Flex Template entry point: submits the job and exits with {@link Submission}'s status, without waiting
   * (rules M1, M2). Local runs call {@link #run} and wait themselves.
   */
  public static void main(String[] args) {
    // exit explicitly: a runner may leave non-daemon threads behind
    System.exit(submit(args));
  }

  /** Rules M1, M2: parses {@code args}, submits the pipeline once and returns the exit status. */
  public static int submit(String[] args) {
    return Submission.submit("writer", () -> run(
        PipelineOptionsFactory.fromArgs(args).withValidation().as(WriterOptions.class)), System.out, System.err);
  }

  public static PipelineResult run(WriterOptions options) {
    WriterConfig config = WriterOptionsValidator.toConfig(options);
    return buildPipeline(options, config).run();
  }

  public static Pipeline buildPipeline(WriterOptions options, WriterConfig config) {
    Pipeline p = Pipeline.create(options);
    PCollection<Envelope> envelopes;
    if ("kafka".equals(options.getBufferType())) {
      envelopes =
          p.apply("ReadEnvelopes",
              new KafkaEnvelopeSource(options.getKafkaBootstrapServers(), options.getKafkaTopic(),
                  options.getKafkaConsumerGroup(), options.getKafkaMaxRecords(), config.deadLetterDirectory()));
    } else {
      if (!options.getPubSubEndpoint().isEmpty()) {
        options.as(PubsubOptions.class).setPubsubRootUrl(PubSubEndpoints.rootUrl(options.getPubSubEndpoint()));
      }
      List<String> subscriptions =
          config.shards().stream()
              .map(Shard::logicalShardId)
              .map(id -> options.getSubscriptionPrefix() + id + options.getSubscriptionSuffix())
              .toList();
      envelopes =
          p.apply("ReadEnvelopes",
              new PubSubEnvelopeSource(options.getPubSubProjectId(), subscriptions, config.deadLetterDirectory()));
    }
    envelopes.apply("Apply", ApplyEnvelopes.with(config));
    return p;
  }
}
