package dev.reverserepl.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.options.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer pipeline end to end from each buffer into two real shard databases. */
class SourcesTest {
  @TempDir Path tmp;

  @Test
  void kafka_shuffledAndDuplicatedEnvelopesFromTheTopicConvergeToExactlyTheExpectedRows()
      throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    TestStreams.createShardDatabase(mysql, "wk_shard1");
    TestStreams.createShardDatabase(mysql, "wk_shard2");
    List<Shard> shards =
        List.of(mysql.shard("shard1", "wk_shard1"), mysql.shard("shard2", "wk_shard2"));
    List<SequencedChange> s1 = TestStreams.randomStream("shard1", 0, 1, 400, 60, 71);
    List<SequencedChange> s2 = TestStreams.randomStream("shard2", 0, 1, 400, 60, 72);
    List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(s1, 20));
    envelopes.addAll(TestStreams.envelopes(s2, 20));
    List<Envelope> delivered = new ArrayList<>(envelopes);
    delivered.addAll(envelopes.subList(0, 10));
    Collections.shuffle(delivered, new Random(7));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("envelopes", 2);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (Envelope e : delivered) {
          producer.send(
              new ProducerRecord<>(
                  "envelopes",
                  e.shardId().equals("shard1") ? 0 : 1,
                  e.shardId(),
                  EnvelopeCodec.encode(e)));
        }
        producer.send(new ProducerRecord<>("envelopes", 0, "shard1", "garbage".getBytes()));
      }
      WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
      o.setBufferType("kafka");
      o.setKafkaBootstrapServers(kafka.bootstrapServers());
      o.setKafkaTopic("envelopes");
      o.setKafkaMaxRecords(delivered.size() + 1);
      String dlq = tmp.resolve("dlq").toString();
      WriterConfig config = WriterConfig.of(shards, TestStreams.session(), dlq);
      WriterPipeline.buildPipeline(o, config).run().waitUntilFinish();
      assertEquals(
          1, dev.reverserepl.common.dlq.DeadLetterQueue.readAll(dlq).size(), "the garbage message");
    }
    try (Connection c = mysql.connect("wk_shard1")) {
      assertEquals(TestStreams.expectedRows(s1), TestStreams.actualRows(c));
    }
    try (Connection c = mysql.connect("wk_shard2")) {
      Map<String, String> expected = TestStreams.expectedRows(s2);
      assertEquals(expected, TestStreams.actualRows(c));
    }
  }

  @Test
  void pubsub_oneSubscriptionPerShardNamedByItsLogicalShardIdIsReadInParallel() throws Exception {
    Path bin = PubSubEmulator.find();
    if (bin == null) {
      System.out.println(
          "SKIPPED (no emulator): SourcesTest.pubsub_oneSubscriptionPerShardNamedByItsLogicalShardIdIs"
              + "ReadInParallel - the gcloud Pub/Sub emulator (platform/pubsub-emulator) is not installed");
      Assumptions.abort("no Pub/Sub emulator");
    }
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    TestStreams.createShardDatabase(mysql, "wps_shard1");
    TestStreams.createShardDatabase(mysql, "wps_shard2");
    List<Shard> shards =
        List.of(mysql.shard("shard1", "wps_shard1"), mysql.shard("shard2", "wps_shard2"));
    List<SequencedChange> s1 = TestStreams.randomStream("shard1", 0, 1, 200, 40, 81);
    List<SequencedChange> s2 = TestStreams.randomStream("shard2", 0, 1, 200, 40, 82);
    Path dir = Files.createDirectories(tmp.resolve("pubsub"));
    try (PubSubEmulator emulator = PubSubEmulator.start(bin, dir)) {
      String project = "rr-test";
      for (String shard : List.of("shard1", "shard2")) {
        emulator.createTopic(project, "envelopes-" + shard);
        emulator.createSubscription(project, shard, "envelopes-" + shard);
      }
      List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(s1, 20));
      envelopes.addAll(TestStreams.envelopes(s2, 20));
      envelopes.addAll(envelopes.subList(0, 4));
      Collections.shuffle(envelopes, new Random(9));
      for (Envelope e : envelopes) {
        emulator.publish(
            project, "envelopes-" + e.shardId(), EnvelopeCodec.encode(e), e.attributes());
      }
      WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
      o.setBufferType("pubsub");
      o.setPubSubProjectId(project);
      o.setPubSubEndpoint(emulator.endpoint());
      o.as(org.apache.beam.runners.direct.DirectOptions.class).setBlockOnRun(false);
      WriterConfig config =
          WriterConfig.of(shards, TestStreams.session(), tmp.resolve("dlq").toString());
      org.apache.beam.sdk.PipelineResult result = WriterPipeline.buildPipeline(o, config).run();
      try {
        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
          Thread.sleep(1000);
          try (Connection c1 = mysql.connect("wps_shard1");
              Connection c2 = mysql.connect("wps_shard2")) {
            done =
                TestStreams.expectedRows(s1).equals(TestStreams.actualRows(c1))
                    && TestStreams.expectedRows(s2).equals(TestStreams.actualRows(c2));
          }
        }
      } finally {
        result.cancel();
      }
      try (Connection c1 = mysql.connect("wps_shard1");
          Connection c2 = mysql.connect("wps_shard2")) {
        assertEquals(TestStreams.expectedRows(s1), TestStreams.actualRows(c1));
        assertEquals(TestStreams.expectedRows(s2), TestStreams.actualRows(c2));
      }
    }
  }
}
