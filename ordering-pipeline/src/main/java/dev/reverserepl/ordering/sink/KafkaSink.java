package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.ClaimCheck;
import dev.reverserepl.common.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes envelopes to one Kafka topic; the envelope attributes travel as headers. With {@link
 * #withPartitioning} each shard's envelopes go to the partition of the shard's index in the shards
 * file (key {@code shardId#partition}); without it the record key is the shard id and Kafka's key
 * hashing picks the partition. Either way all of a shard's envelopes share one partition. An
 * envelope larger than the cluster accepts (read at start, {@link KafkaLimits}) is published as a
 * claim-check reference ({@link ClaimCheck}), so the stream stays gapless.
 */
public final class KafkaSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String bootstrapServers;
  private final String topic;

  private final EnvelopeMessages partitioning;
  private final String claimCheckDirectory;

  private KafkaSink(
      String bootstrapServers,
      String topic,
      EnvelopeMessages partitioning,
      String claimCheckDirectory) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.partitioning = partitioning;
    this.claimCheckDirectory = claimCheckDirectory;
  }

  /**
   * Partition = the shard's index in the shards file (modulo the topic's partitions); key {@code
   * shardId#partition}.
   */
  public KafkaSink withPartitioning(EnvelopeMessages messages) {
    return new KafkaSink(bootstrapServers, topic, messages, claimCheckDirectory);
  }

  /**
   * Where envelopes over the cluster's record limit go ({@link ClaimCheck}); empty = nowhere (a
   * clear error).
   */
  public KafkaSink withClaimCheckDirectory(String directory) {
    return new KafkaSink(bootstrapServers, topic, partitioning, directory == null ? "" : directory);
  }

  public static KafkaSink to(String bootstrapServers, String topic) {
    if (bootstrapServers == null || bootstrapServers.isEmpty()) {
      throw new IllegalArgumentException("kafkaBootstrapServers is required for the kafka sink");
    }
    return new KafkaSink(bootstrapServers, topic, null, "");
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    return envelopes
        .apply(
            "ToRecord",
            ParDo.of(new ToRecord(bootstrapServers, topic, partitioning, claimCheckDirectory)))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply(
            "Publish",
            KafkaIO.<String, byte[]>writeRecords()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(
                    Map.of(
                        "enable.idempotence",
                        true,
                        "acks",
                        "all",
                        "max.request.size",
                        MAX_REQUEST_SIZE)));
  }

  static final int MAX_REQUEST_SIZE = 8 * 1024 * 1024;

  static final class ToRecord extends DoFn<Envelope, ProducerRecord<String, byte[]>> {
    private final String bootstrapServers;
    private final String topic;
    private final EnvelopeMessages partitioning;
    private final String claimCheckDirectory;
    private transient ClaimCheck claimCheck;

    ToRecord(
        String bootstrapServers,
        String topic,
        EnvelopeMessages partitioning,
        String claimCheckDirectory) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
      this.partitioning = partitioning;
      this.claimCheckDirectory = claimCheckDirectory;
    }

    // The cluster's limits are read once per worker at start, so a change too large for them never
    // blocks.
    @Setup
    public void setup() {
      claimCheck =
          new ClaimCheck(
              claimCheckDirectory,
              KafkaLimits.maxValueBytes(bootstrapServers, topic, MAX_REQUEST_SIZE));
    }

    @ProcessElement
    public void process(@Element Envelope e, OutputReceiver<ProducerRecord<String, byte[]>> out) {
      byte[] value = claimCheck.payload(e);
      if (partitioning != null) {
        out.output(partitioning.kafka(topic, e, value));
        return;
      }
      RecordHeaders headers = new RecordHeaders();
      e.attributes().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      out.output(new ProducerRecord<>(topic, null, e.shardId(), value, headers));
    }
  }
}
