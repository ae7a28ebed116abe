package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.sequence.SequencerKey;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka records of envelopes: JSON value, attribute headers, key {@code shardId#partition},
 * partition by shard.
 */
public final class EnvelopeMessages implements Serializable {
  private final Map<String, Integer> shardIndex;
  private final int partitions;

  /**
   * @param shards the shards file, whose order fixes each shard's Kafka partition
   * @param partitions the topic's partitions; 0 = one per shard
   */
  public EnvelopeMessages(List<Shard> shards, int partitions) {
    this.shardIndex = new HashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      shardIndex.put(shards.get(i).logicalShardId(), i);
    }
    this.partitions = partitions > 0 ? partitions : shards.size();
  }

  public static String key(Envelope e) {
    return SequencerKey.format(e.shardId(), e.partition());
  }

  /**
   * Shard i of the shards file goes to partition i mod partitions: all of a shard's envelopes share
   * a partition.
   */
  public int kafkaPartition(String shardId) {
    Integer i = shardIndex.get(shardId);
    int index = i != null ? i : Math.floorMod(shardId.hashCode(), partitions);
    return index % partitions;
  }

  public ProducerRecord<String, byte[]> kafka(String topic, Envelope e) {
    return kafka(topic, e, EnvelopeCodec.encode(e));
  }

  /**
   * The record of {@code e} with {@code value} as its payload (the envelope or its claim-check
   * reference).
   */
  public ProducerRecord<String, byte[]> kafka(String topic, Envelope e, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    e.attributes().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(topic, kafkaPartition(e.shardId()), null, key(e), value, headers);
  }
}
