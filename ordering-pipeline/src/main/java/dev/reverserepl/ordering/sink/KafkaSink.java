package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
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
 * Publishes envelopes to one Kafka topic. The record key is the shard id, so all of a shard's envelopes land in one
 * partition (Kafka's key hashing); the envelope attributes travel as headers.
 */
public final class KafkaSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String bootstrapServers;
  private final String topic;

  private KafkaSink(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  public static KafkaSink to(String bootstrapServers, String topic) {
    if (bootstrapServers == null || bootstrapServers.isEmpty()) {
      throw new IllegalArgumentException("kafkaBootstrapServers is required for the kafka sink");
    }
    return new KafkaSink(bootstrapServers, topic);
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    return envelopes
        .apply("ToRecord", ParDo.of(new ToRecord(topic)))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply(
            "Publish",
            KafkaIO.<String, byte[]>writeRecords()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(Map.of("enable.idempotence", true, "acks", "all")));
  }

  static final class ToRecord extends DoFn<Envelope, ProducerRecord<String, byte[]>> {
    private final String topic;

    ToRecord(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void process(@Element Envelope e, OutputReceiver<ProducerRecord<String, byte[]>> out) {
      RecordHeaders headers = new RecordHeaders();
      e.attributes().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      out.output(new ProducerRecord<>(topic, null, e.shardId(), EnvelopeCodec.encode(e), headers));
    }
  }
}
