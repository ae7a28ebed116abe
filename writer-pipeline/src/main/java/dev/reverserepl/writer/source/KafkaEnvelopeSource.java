package dev.reverserepl.writer.source;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the envelopes topic (all partitions; the ordering pipeline chose each shard's partition)
 * from the earliest offset; {@code maxRecords > 0} makes the read bounded (tests, benchmarks,
 * catch-up runs).
 */
public final class KafkaEnvelopeSource extends PTransform<PBegin, PCollection<Envelope>> {
  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final long maxRecords;
  private final String deadLetterDirectory;

  public KafkaEnvelopeSource(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      long maxRecords,
      String deadLetterDirectory) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.maxRecords = maxRecords;
    this.deadLetterDirectory = deadLetterDirectory;
  }

  @Override
  public PCollection<Envelope> expand(PBegin begin) {
    KafkaIO.Read<String, byte[]> read =
        KafkaIO.<String, byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(
                Map.of("auto.offset.reset", "earliest", "group.id", consumerGroup));
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
    }
    return begin
        .apply("ReadKafka", read.withoutMetadata())
        .apply(
            "Copy",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
                .via((KV<String, byte[]> kv) -> KV.of(kv.getKey(), kv.getValue())))
        .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), ByteArrayCoder.of()))
        .apply("Decode", ParDo.of(new DecodeEnvelopeFn(deadLetterDirectory)))
        .setCoder(EnvelopeCoder.of());
  }
}
