package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes envelopes to a Kafka topic: key {@code shardId#partition}, value the envelope JSON, headers the envelope
 * attributes, partition fixed per shard (its index in the shards file), so one shard's envelopes share a partition.
 */
public final class KafkaSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final EnvelopeMessages messages;

  public KafkaSink(String bootstrapServers, String topic, EnvelopeMessages messages) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.messages = messages;
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    EnvelopeMessages m = messages;
    String t = topic;
    return envelopes
        .apply(
            "ToProducerRecord",
            MapElements.into(new TypeDescriptor<ProducerRecord<String, byte[]>>() {}).via(e -> m.kafka(t, e)))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply(
            "Publish",
            KafkaIO.<String, byte[]>writeRecords()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(
                    Map.of("max.request.size", Integer.toString(8 * 1024 * 1024), "acks", "all",
                        "enable.idempotence", "true")));
  }
}
