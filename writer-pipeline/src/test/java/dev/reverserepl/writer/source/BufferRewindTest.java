package dev.reverserepl.writer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.progress.ShardPositions;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A new writer receives again everything after the shards' positions (BufferRewind rules W1–W3).
 */
class BufferRewindTest {
  private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
  private static final Instant OLDEST = T.minus(Duration.ofDays(7));

  @Test
  void ruleW1_eachShardRewindsToItsEarliestStreamMinusTheMarginAndUnknownStreamsToTheOldest() {
    ShardPositions.Snapshot s =
        new ShardPositions.Snapshot(
            List.of(
                new ShardPositions.Stream("a", 0, Optional.of(T)),
                new ShardPositions.Stream("a", 1, Optional.of(T.minusSeconds(40))),
                new ShardPositions.Stream("b", 0, Optional.of(T.plusSeconds(5))),
                new ShardPositions.Stream("c", 0, Optional.empty())));
    Map<String, Instant> at = BufferRewind.rewindTimes(s, Duration.ofSeconds(60), OLDEST);
    assertEquals(Map.of("a", T.minusSeconds(100), "b", T.minusSeconds(55), "c", OLDEST), at);
  }

  @Test
  void ruleW3_kafkaConsumerGroupOffsetsAreSetToTheFirstRecordAtOrAfterTheRewindTime()
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("rewind", 2);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 5; i++) {
          producer
              .send(
                  new ProducerRecord<>(
                      "rewind", 0, T.plusSeconds(i * 10L).toEpochMilli(), "k", new byte[] {1}))
              .get();
        }
        producer
            .send(new ProducerRecord<>("rewind", 1, T.toEpochMilli(), "k", new byte[] {1}))
            .get();
      }
      Map<TopicPartition, Long> set =
          BufferRewind.rewindKafka(kafka.bootstrapServers(), "rewind", "g1", T.plusSeconds(15));
      TopicPartition p0 = new TopicPartition("rewind", 0);
      TopicPartition p1 = new TopicPartition("rewind", 1);
      // partition 0: records at +0 s … +40 s, the first at or after +15 s is offset 2; partition 1
      // has none: its end
      assertEquals(Map.of(p0, 2L, p1, 1L), set);
      Properties a = new Properties();
      a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(a)) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets("g1").partitionsToOffsetAndMetadata().get();
        assertEquals(2L, committed.get(p0).offset());
        assertEquals(1L, committed.get(p1).offset());
      }
    }
  }
}
