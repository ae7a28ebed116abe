package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.ClaimCheck;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.OperateFixtures;
import dev.reverserepl.ordering.sink.EnvelopeMessages;
import dev.reverserepl.ordering.sink.KafkaSink;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import dev.reverserepl.writer.WriterPipeline;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.options.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer rule 15 end to end over Kafka: an 11 MB value, far over the topic's 1 MB record limit,
 * travels from the ordering pipeline's sink through the embedded broker into MariaDB by claim
 * check, and the stream never stalls.
 */
class OversizedChangeTest {
  static final int BIG = 11 * 1024 * 1024;
  @TempDir Path tmp;

  static SequencedChange users(int seq, int id, String name) {
    Change c =
        new Change(
            "Guests",
            ModKind.INSERT,
            "{\"id\":\"" + id + "\"}",
            "{\"name\":\"" + name + "\",\"group\":\"f" + id + "\"}",
            new ChangePosition(1_700_000_000_000_000_000L + seq * 1000L, "tx" + seq, 0, 0),
            "",
            1);
    return new SequencedChange("big", 0, 1, seq, true, c);
  }

  static Envelope envelope(SequencedChange c, long through) {
    return new Envelope("big", 0, 1, c.sequence(), c.sequence(), through, List.of(c));
  }

  /**
   * The fixture session with Guests.name as MySQL LONGTEXT / Spanner STRING(MAX), so that 11 MB
   * fit.
   */
  Path longTextSession() throws Exception {
    var root =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            dev.reverserepl.common.json.Json.mapper()
                .readTree(OperateFixtures.fixture("guestbook/session.json").toFile());
    for (String schema : List.of("SrcSchema", "SpSchema")) {
      for (var table : root.get(schema)) {
        if (!table.get("Name").asText().equals("Guests")) {
          continue;
        }
        for (var col : table.get("ColDefs")) {
          if (col.get("Name").asText().equals("name")) {
            var type =
                (com.fasterxml.jackson.databind.node.ObjectNode) col.get("Type") != null
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) col.get("Type")
                    : (com.fasterxml.jackson.databind.node.ObjectNode) col.get("T");
            if (schema.equals("SrcSchema")) {
              type.put("Name", "longtext");
              type.putArray("Mods");
            } else {
              type.put("Len", Long.MAX_VALUE);
            }
          }
        }
      }
    }
    Path out = tmp.resolve("session-longtext.json");
    Files.writeString(out, dev.reverserepl.common.json.Json.write(root));
    return out;
  }

  @Test
  void writerRule15_an11MbValueTravelsOverKafkaByClaimCheckIntoMySqlWithoutAStall()
      throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Shard shard = OperateFixtures.freshShards("oversized", "big").get(0);
    try (Connection c = mysql.connect(shard.dbName());
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE Guests (id INT NOT NULL, name LONGTEXT, `group` VARCHAR(25), PRIMARY KEY(id))");
    }
    String huge = "x".repeat(BIG);
    List<Envelope> envelopes =
        List.of(
            envelope(users(1, 1, "small"), 0),
            envelope(users(2, 2, huge), 0),
            envelope(users(3, 3, "after"), 0));
    Path claims = tmp.resolve("claims");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka
          .admin()
          .createTopics(
              List.of(
                  new NewTopic("big-envelopes", 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(1024 * 1024)))))
          .all()
          .get();
      Pipeline publish = Pipeline.create(PipelineOptionsFactory.create());
      publish
          .apply(Create.of(envelopes).withCoder(EnvelopeCoder.of()))
          .apply(
              KafkaSink.to(kafka.bootstrapServers(), "big-envelopes")
                  .withPartitioning(new EnvelopeMessages(List.of(shard), 1))
                  .withClaimCheckDirectory(claims.toString()));
      publish.run().waitUntilFinish();
      try (Stream<Path> files = Files.list(claims)) {
        assertEquals(
            1,
            files.filter(f -> f.getFileName().toString().equals("claim-big-0-1-2-2.json")).count());
      }

      WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
      o.setBufferType("kafka");
      o.setKafkaBootstrapServers(kafka.bootstrapServers());
      o.setKafkaTopic("big-envelopes");
      o.setKafkaMaxRecords(3);
      String dlq = tmp.resolve("dlq").toString();
      SessionMapping session = SessionMapping.load(longTextSession().toString());
      WriterPipeline.buildPipeline(o, WriterConfig.of(List.of(shard), session, dlq))
          .run()
          .waitUntilFinish();
      var dead = DeadLetterQueue.readAll(dlq);
      assertEquals(
          0,
          dead.size(),
          () -> "nothing dead-lettered: " + dead.get(0).stage() + " " + dead.get(0).error());
    }
    try (Connection c = mysql.connect(shard.dbName());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, LENGTH(name) FROM Guests ORDER BY id")) {
      int[][] expected = {{1, 5}, {2, BIG}, {3, 5}};
      for (int[] row : expected) {
        assertTrue(rs.next());
        assertEquals(row[0], rs.getInt(1));
        assertEquals(row[1], rs.getLong(2));
      }
      AppliedPosition end = new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c).get(0);
      assertEquals(3, end.sequence(), "the stream went past the oversized change");
      assertEquals(3, end.appliedCount());
    }
    System.out.printf(
        "writerRule15 (Kafka): an %d-byte value applied by claim check, topic limit 1 MB%n", BIG);
    assertTrue(
        ClaimCheck.isReference(new ClaimCheck(claims.toString(), 4096).payload(envelopes.get(1))));
  }

  @Test
  void writerRule15_an11MbValueTravelsOverThePubSubEmulatorByClaimCheckIntoMySqlWithoutAStall()
      throws Exception {
    if (!dev.reverserepl.ordering.testing.Emulators.availableOrSkip(
        "OversizedChangeTest.writerRule15_an11MbValueTravelsOverThePubSubEmulatorByClaimCheckIntoMySqlWithoutAStall")) {
      return;
    }
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Shard shard = OperateFixtures.freshShards("oversizedps", "big").get(0);
    try (Connection c = mysql.connect(shard.dbName());
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE Guests (id INT NOT NULL, name LONGTEXT, `group` VARCHAR(25), PRIMARY KEY(id))");
    }
    List<Envelope> envelopes =
        List.of(
            envelope(users(1, 1, "small"), 0),
            envelope(users(2, 2, "y".repeat(BIG)), 0),
            envelope(users(3, 3, "after"), 0));
    Path claims = tmp.resolve("claims-ps");
    String project = "rr-big";
    try (var emulator = dev.reverserepl.ordering.testing.Emulators.startPubSub()) {
      String root = dev.reverserepl.common.config.PubSubEndpoints.rootUrl(emulator.hostPort());
      put(root + "/v1/projects/" + project + "/topics/envelopes", "{}");
      put(
          root + "/v1/projects/" + project + "/subscriptions/big",
          "{\"topic\":\"projects/" + project + "/topics/envelopes\"}");
      var publishOptions = PipelineOptionsFactory.create();
      publishOptions
          .as(org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions.class)
          .setPubsubRootUrl(root);
      Pipeline publish = Pipeline.create(publishOptions);
      publish
          .apply(Create.of(envelopes).withCoder(EnvelopeCoder.of()))
          .apply(
              dev.reverserepl.ordering.sink.PubSubSink.to(project, "envelopes")
                  .withClaimCheckDirectory(claims.toString()));
      publish.run().waitUntilFinish();
      assertTrue(Files.exists(claims.resolve("claim-big-0-1-2-2.json")));

      WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
      o.setBufferType("pubsub");
      o.setPubSubProjectId(project);
      o.setPubSubEndpoint(emulator.hostPort());
      o.as(org.apache.beam.runners.direct.DirectOptions.class).setBlockOnRun(false);
      String dlq = tmp.resolve("dlq-ps").toString();
      var result =
          WriterPipeline.buildPipeline(
                  o,
                  WriterConfig.of(
                      List.of(shard), SessionMapping.load(longTextSession().toString()), dlq))
              .run();
      try {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (appliedCount(mysql, shard) < 3 && System.nanoTime() < deadline) {
          Thread.sleep(1000);
        }
      } finally {
        result.cancel();
      }
      assertEquals(0, DeadLetterQueue.readAll(dlq).size(), "nothing dead-lettered");
    }
    try (Connection c = mysql.connect(shard.dbName());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT LENGTH(name) FROM Guests WHERE id = 2")) {
      assertTrue(rs.next());
      assertEquals(BIG, rs.getLong(1));
    }
    assertEquals(3, appliedCount(mysql, shard), "the stream went past the oversized change");
    System.out.printf(
        "writerRule15 (Pub/Sub emulator): an %d-byte value applied by claim check%n", BIG);
  }

  static long appliedCount(EmbeddedMySql mysql, Shard shard) throws Exception {
    try (Connection c = mysql.connect(shard.dbName())) {
      List<AppliedPosition> rows = new java.util.ArrayList<>();
      try {
        rows = new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c);
      } catch (java.sql.SQLException notYet) {
        return 0;
      }
      return rows.isEmpty() ? 0 : rows.get(0).appliedCount();
    }
  }

  static void put(String url, String body) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build();
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
  }
}
