package dev.reverserepl.ordering.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  @Test
  void producesAndConsumesOnAFreshTopic() throws Exception {
    long t0 = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      System.out.printf(
          "embedded Kafka started in %d ms at %s%n",
          (System.nanoTime() - t0) / 1_000_000, kafka.bootstrapServers());
      kafka.createTopic("t", 3);
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>("t", 2, "k", "v")).get();
      }
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(
              Map.of(
                  "bootstrap.servers",
                  kafka.bootstrapServers(),
                  "group.id",
                  "g",
                  "auto.offset.reset",
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        c.subscribe(List.of("t"));
        int seen = 0;
        for (int i = 0; i < 30 && seen == 0; i++) {
          ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(1));
          seen += rs.count();
          rs.forEach(r -> assertEquals("v", r.value()));
        }
        assertEquals(1, seen);
      }
    }
  }
}
