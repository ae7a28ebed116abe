package dev.reverserepl.ordering.sink;

import static dev.reverserepl.ordering.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.TestChanges;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole pipeline, file source to a real Kafka broker: rules K1 (a shard's envelopes share one
 * partition, chosen by the shard's index in the shards file) and K2 (key shard#partition, headers =
 * envelope attributes), plus S1 across the broker: each shard's stream read back from Kafka is
 * gapless and in commit order.
 */
class KafkaSinkTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void ruleK1K2_replayedFilesArePublishedPerShardPartitionInOrder(@TempDir Path dir)
      throws Exception {
    String topic = "envelopes";
    kafka.createTopic(topic, 2);
    Path shards = dev.reverserepl.ordering.PipelineFilesAccess.shardsFile(dir, "shard1", "shard2");
    // 300 single-row transactions over 3 s, written to two files in shuffled order; every 10th is a
    // delete
    // without the shard column, resolved from the row's earlier insert
    Random rnd = new Random(5);
    List<DataChangeRecord> records = new ArrayList<>();
    long t0 = 1_700_000_000_000_000L;
    for (int i = 0; i < 300; i++) {
      String shard = i % 3 == 0 ? "shard2" : "shard1";
      long micros = t0 + i * 10_000L;
      if (i % 10 == 9) {
        int victim = i - 9;
        records.add(
            record(
                micros,
                "tx" + i,
                0,
                "parcel",
                ModType.DELETE,
                "",
                "{\"parcel_id\":\"" + victim + "\"}",
                "{}"));
      } else {
        records.add(
            record(
                micros,
                "tx" + i,
                0,
                "parcel",
                ModType.INSERT,
                "",
                "{\"parcel_id\":\"" + i + "\"}",
                "{\"parcel_id\":\"" + i + "\",\"migration_shard_id\":\"" + shard + "\"}"));
      }
    }
    Collections.shuffle(records, rnd);
    Path changes = Files.createDirectories(dir.resolve("changes"));
    dev.reverserepl.ordering.PipelineFilesAccess.changeFile(
        changes.resolve("a.jsonl"), records.subList(0, 150));
    dev.reverserepl.ordering.PipelineFilesAccess.changeFile(
        changes.resolve("b.jsonl"), records.subList(150, 300));

    OrderingOptions o = PipelineOptionsFactory.create().as(OrderingOptions.class);
    o.setChangeRecordsPath(changes.toString());
    o.setSessionFilePath(Fixtures.repo("parcels-sharded/session.json").toString());
    o.setSourceShardsFilePath(shards.toString());
    o.setSinkType("kafka");
    o.setKafkaBootstrapServers(kafka.bootstrapServers());
    o.setKafkaTopic(topic);
    o.setMaxChangesPerEnvelope(7);
    o.setEpoch(99L);
    Pipeline p = Pipeline.create(o);
    OrderingPipeline.buildPipeline(p, o, OrderingPipeline.config(o));
    p.run().waitUntilFinish();

    List<Envelope> envelopes = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "group.id",
                "check",
                "auto.offset.reset",
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      int changesSeen = 0;
      for (int i = 0; i < 60 && changesSeen < 300; i++) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          Envelope e = EnvelopeCodec.decode(r.value());
          int expectedPartition = e.shardId().equals("shard1") ? 0 : 1;
          assertEquals(expectedPartition, r.partition(), "rule K1: partition of " + e.shardId());
          assertEquals(e.shardId() + "#" + e.partition(), r.key(), "rule K2: key");
          for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            assertEquals(
                a.getValue(),
                new String(r.headers().lastHeader(a.getKey()).value(), StandardCharsets.UTF_8),
                "rule K2: header " + a.getKey());
          }
          envelopes.add(e);
          changesSeen += e.changes().size();
        }
      }
    }
    Map<String, List<SequencedChange>> streams = TestChanges.checkStreams(envelopes);
    assertEquals(200, streams.get("shard1#0").size());
    assertEquals(100, streams.get("shard2#0").size());
    long deletes =
        streams.values().stream()
            .flatMap(List::stream)
            .filter(c -> c.change().kind() == ModKind.DELETE)
            .count();
    assertEquals(30, deletes, "every delete resolved from its row's insert");
    assertTrue(envelopes.stream().allMatch(e -> e.epoch() == 99));
    System.out.printf(
        "ruleK1K2: %d envelopes read back from Kafka; shard1 200 changes on partition 0, shard2 100 on"
            + " partition 1, gapless and in commit order%n",
        envelopes.size());
  }
}
