package dev.reverserepl.ordering.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.NoCredentials;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.PipelineFilesAccess;
import dev.reverserepl.ordering.TestChanges;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.testing.Emulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions written into the Spanner emulator, read through {@code SpannerIO.readChangeStream},
 * ordered, and published to the Pub/Sub emulator; the envelopes pulled back are checked (rules S1,
 * P1, R1 with a stale read).
 */
class PubSubEmulatorEndToEndTest {
  private static final String PROJECT = "rr-test";
  private static final String INSTANCE = "rr-instance";
  private static final String DATABASE = "rr-db";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void ruleP1_spannerTransactionsArriveOrderedPerShardInPubSub(@TempDir Path dir) throws Exception {
    String test =
        getClass().getSimpleName() + ".ruleP1_spannerTransactionsArriveOrderedPerShardInPubSub";
    if (!Emulators.availableOrSkip(test)) {
      org.junit.jupiter.api.Assumptions.abort("no emulator");
    }
    try (Emulators.Running spannerEmu = Emulators.startSpanner();
        Emulators.Running pubsubEmu = Emulators.startPubSub()) {
      Spanner spanner =
          SpannerOptions.newBuilder()
              .setProjectId(PROJECT)
              .setEmulatorHost(spannerEmu.hostPort())
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      try {
        spanner
            .getInstanceAdminClient()
            .createInstance(
                InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                    .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                    .setDisplayName(INSTANCE)
                    .setNodeCount(1)
                    .build())
            .get();
        spanner
            .getDatabaseAdminClient()
            .createDatabase(
                INSTANCE,
                DATABASE,
                List.of(
                    "CREATE TABLE parcel (parcel_id INT64 NOT NULL, updated_at TIMESTAMP, carrier STRING(40),"
                        + " migration_shard_id STRING(50)) PRIMARY KEY (parcel_id)",
                    "CREATE CHANGE STREAM allstream FOR ALL OPTIONS (value_capture_type = 'NEW_ROW')"))
            .get();
        // the connector's partition metadata in its own database, as in production
        spanner.getDatabaseAdminClient().createDatabase(INSTANCE, "rr-meta", List.of()).get();
        DatabaseClient db = spanner.getDatabaseClient(DatabaseId.of(PROJECT, INSTANCE, DATABASE));
        Timestamp start = Timestamp.now();
        // t1: three rows on two shards; t2: update; t3: delete by key only (shard from a stale
        // read);
        // (the emulator drops transaction tags from change records, so the forward-migration filter
        // is proven by
        // OrderChangesTest, not here)
        db.write(List.of(row(1, "shard1"), row(2, "shard2"), row(3, "shard1")));
        db.write(
            List.of(
                Mutation.newUpdateBuilder("parcel")
                    .set("parcel_id")
                    .to(1L)
                    .set("updated_at")
                    .to(Timestamp.now())
                    .build()));
        db.write(List.of(Mutation.delete("parcel", Key.of(3L))));
        db.write(List.of(row(5, "shard2")));
        Timestamp end =
            Timestamp.ofTimeMicroseconds(
                Timestamp.now().toSqlTimestamp().getTime() * 1000 + 1_000_000);

        String topic = "envelopes";
        put(pubsubEmu, "/v1/projects/" + PROJECT + "/topics/" + topic, "{}");
        put(
            pubsubEmu,
            "/v1/projects/" + PROJECT + "/subscriptions/all",
            "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\"}");

        OrderingOptions o = PipelineOptionsFactory.create().as(OrderingOptions.class);
        o.as(DirectOptions.class).setBlockOnRun(true);
        // the emulator runs one read-write transaction per database at a time and fails the others;
        // one runner
        // thread keeps the connector's metadata transactions from overlapping
        o.as(DirectOptions.class).setTargetParallelism(1);
        o.setSpannerProjectId(PROJECT);
        o.setInstanceId(INSTANCE);
        o.setDatabaseId(DATABASE);
        o.setChangeStreamName("allstream");
        o.setMetadataDatabase("rr-meta");
        o.as(org.apache.beam.sdk.extensions.gcp.options.GcpOptions.class)
            .setCredentialFactoryClass(
                org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory.class);
        o.setSpannerEmulatorHost(spannerEmu.hostPort());
        o.setStartTimestamp(start.toString());
        o.setEndTimestamp(end.toString());
        o.setSessionFilePath(Fixtures.repo("parcels-sharded/session.json").toString());
        o.setSourceShardsFilePath(
            PipelineFilesAccess.shardsFile(dir, "shard1", "shard2").toString());
        o.setSinkType("pubsub");
        o.setPubSubProjectId(PROJECT);
        o.setPubSubDataTopicId(topic);
        o.setPubSubEndpoint(pubsubEmu.httpUrl());
        o.setEpoch(5L);
        Pipeline p = Pipeline.create(o);
        OrderingPipeline.buildPipeline(p, o, OrderingPipeline.config(o));
        PipelineResult result = p.run();
        result.waitUntilFinish();

        List<Envelope> all = pullAll(pubsubEmu, "all");
        Map<String, List<SequencedChange>> streams = TestChanges.checkStreams(all);
        List<String> shard1 = ids(streams.get("shard1#0"));
        List<String> shard2 = ids(streams.get("shard2#0"));
        System.out.println("ruleP1: shard1 " + shard1 + ", shard2 " + shard2);
        assertEquals(List.of("INSERT 1", "INSERT 3", "UPDATE 1", "DELETE 3"), shard1);
        assertEquals(List.of("INSERT 2", "INSERT 5"), shard2);
        // every message carried attribute shardId (checked while pulling): what per-shard filtered
        // subscriptions
        // select on; the emulator itself does not evaluate subscription filters
        assertTrue(all.stream().allMatch(e -> e.epoch() == 5));
        assertEquals(1L, counter(result, OrderingMetrics.RESOLVED_BY_STALE_READ));
      } finally {
        spanner.close();
      }
    }
  }

  private static Mutation row(long id, String shard) {
    return Mutation.newInsertOrUpdateBuilder("parcel")
        .set("parcel_id")
        .to(id)
        .set("migration_shard_id")
        .to(shard)
        .set("updated_at")
        .to(Timestamp.now())
        .build();
  }

  private static List<String> ids(List<SequencedChange> changes) {
    return changes.stream()
        .map(
            c ->
                c.change().kind()
                    + " "
                    + Json.mapper()
                        .valueToTree(parse(c.change().keysJson()))
                        .get("parcel_id")
                        .asText())
        .collect(Collectors.toList());
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(Emulators.Running emu, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(emu.httpUrl() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
  }

  private static List<Envelope> pullAll(Emulators.Running emu, String subscription)
      throws Exception {
    List<Envelope> out = new ArrayList<>();
    String base = emu.httpUrl() + "/v1/projects/" + PROJECT + "/subscriptions/" + subscription;
    for (int empty = 0; empty < 3; ) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + ":pull"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"maxMessages\":100,\"returnImmediately\":true}"))
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode msgs = Json.parse(r.body()).path("receivedMessages");
      if (msgs.isEmpty()) {
        empty++;
        Thread.sleep(300);
        continue;
      }
      List<String> acks = new ArrayList<>();
      for (JsonNode m : msgs) {
        Envelope e =
            EnvelopeCodec.decode(
                Base64.getDecoder().decode(m.path("message").path("data").asText()));
        assertEquals(
            e.shardId(),
            m.path("message").path("attributes").path("shardId").asText(),
            "attribute shardId");
        out.add(e);
        acks.add("\"" + m.path("ackId").asText() + "\"");
      }
      HTTP.send(
          HttpRequest.newBuilder(URI.create(base + ":acknowledge"))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"ackIds\":[" + String.join(",", acks) + "]}"))
              .header("Content-Type", "application/json")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
    return out;
  }

  private static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (var m :
        r.metrics()
            .queryMetrics(
                org.apache.beam.sdk.metrics.MetricsFilter.builder()
                    .addNameFilter(
                        org.apache.beam.sdk.metrics.MetricNameFilter.named(
                            OrderingMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += m.getAttempted();
    }
    return sum;
  }
}
