package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.control.MySqlPauseGate;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause rules PA1-PA3 of the launcher README: the pause answer, the progress document and {@code rr
 * status} / {@code rr pause} tell a requested pause from an acknowledged one, against real shards
 * whose writers' pause gates acknowledge (writer rule 17).
 */
class PauseAcknowledgementApiTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;
  List<Shard> shards;
  SyncStateMachine machine;
  ControlServer.Handle api;

  @BeforeEach
  void start() {
    shards = OperateFixtures.freshShards("pauseack", "shard1", "shard2");
    machine = new SyncStateMachine(SyncState.RUNNING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    api =
        ControlServer.start(
            ControlSettings.defaults(),
            new ShardsProgressSource(
                new ProgressReader(shards),
                DirectionMapping.of("proj/inst/db", shards),
                dir.resolve("dlq").toString()),
            pause);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A writer's gate on a shard: it acknowledges a pause within its watch interval. */
  static final class Writer implements AutoCloseable {
    final HikariDataSource ds;
    final MySqlPauseGate gate;

    Writer(Shard s) {
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(s.jdbcUrl());
      hc.setUsername(s.user());
      hc.setPassword(s.password());
      hc.setMaximumPoolSize(2);
      ds = new HikariDataSource(hc);
      gate =
          new MySqlPauseGate(ds, new ControlTable(), Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Override
    public void close() {
      gate.close();
      ds.close();
    }
  }

  JsonNode post(String path, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> a = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, a.statusCode(), a.body());
    return Json.parse(a.body());
  }

  JsonNode progress() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/progress")).build();
    return Json.parse(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void rulePA1_pauseAnswersPerShardWhetherItStoppedAndWaitsForEveryAcknowledgement()
      throws Exception {
    try (Writer w1 = new Writer(shards.get(0))) {
      // shard2 has no writer: its pause stays requested, however long the call waits.
      JsonNode first = post("/api/v1/pause", "{\"waitSeconds\":1}");
      assertTrue(first.get("success").asBoolean());
      assertFalse(first.get("allStopped").asBoolean(), first.toString());
      assertEquals("PAUSED", first.at("/shards/shard1/pauseState").asText(), first.toString());
      assertEquals("PAUSE_REQUESTED", first.at("/shards/shard2/pauseState").asText());
      assertEquals(1, first.at("/shards/shard1/pauseId").asLong());
      assertTrue(first.at("/shards/shard1/pauseAcknowledgedBy").asText().startsWith("rr-writer"));

      JsonNode doc = progress();
      assertEquals("PAUSED", doc.get("state").asText());
      assertFalse(doc.get("allShardsStopped").asBoolean());
      assertEquals("PAUSED", doc.at("/shards/shard1/pauseState").asText());
      assertTrue(doc.at("/shards/shard2/paused").asBoolean(), "requested");
      assertEquals("PAUSE_REQUESTED", doc.at("/shards/shard2/pauseState").asText());
      assertTrue(doc.at("/shards/shard2/pauseAcknowledgedAt").isNull());

      try (Writer w2 = new Writer(shards.get(1))) {
        assertTrue(
            new ShardsPauseControl(machine, shards)
                .awaitStopped(Duration.ofSeconds(60))
                .allStopped());
        JsonNode all = progress();
        assertTrue(all.get("allShardsStopped").asBoolean(), all.toString());
        assertEquals("PAUSED", all.at("/shards/shard2/pauseState").asText());
      }

      post("/api/v1/resume", "{}");
      JsonNode resumed = progress();
      assertFalse(resumed.get("allShardsStopped").asBoolean());
      for (String id : List.of("shard1", "shard2")) {
        assertEquals("RUNNING", resumed.at("/shards/" + id + "/pauseState").asText());
        assertFalse(resumed.at("/shards/" + id + "/paused").asBoolean());
        assertTrue(resumed.at("/shards/" + id + "/pauseAcknowledgedAt").isNull());
      }

      // The next pause is a new one: shard1's writer acknowledges it again, within the wait.
      JsonNode second = post("/api/v1/pause", "{\"waitSeconds\":0}");
      assertEquals(2, second.at("/shards/shard1/pauseId").asLong());
    }
  }

  @Test
  void rulePA2_rrPauseWaitsForEveryShardAndFailsWhenOneDoesNotAcknowledge() throws Exception {
    Path file = OperateFixtures.writeShardsFile(dir, shards);
    try (Writer w1 = new Writer(shards.get(0))) {
      OperateFixtures.Run partly =
          OperateFixtures.run("pause", "--shards", file.toString(), "--wait", "1");
      assertEquals(1, partly.code(), partly.out());
      assertTrue(
          partly.out().contains("shard shard1: PAUSED (pause 1, acknowledged"), partly.out());
      assertTrue(partly.out().contains("shard shard2: PAUSE_REQUESTED (pause 1)"), partly.out());

      try (Writer w2 = new Writer(shards.get(1))) {
        OperateFixtures.Run all =
            OperateFixtures.run("pause", "--shards", file.toString(), "--wait", "60", "--json");
        assertEquals(0, all.code(), all.out());
        JsonNode j = Json.parse(all.out());
        assertTrue(j.get("allStopped").asBoolean(), all.out());
        assertEquals(1, j.at("/shards/shard2/pauseId").asLong(), "pausing again keeps the pause");
      }
      OperateFixtures.Run resumed = OperateFixtures.run("resume", "--shards", file.toString());
      assertEquals(0, resumed.code(), resumed.out());
      assertTrue(resumed.out().contains("shard shard2: RUNNING"), resumed.out());
    }
  }

  @Test
  void rulePA3_statusShowsRequestedVersusAcknowledgedAndWhetherEveryShardStopped()
      throws Exception {
    Path file = OperateFixtures.writeShardsFile(dir, shards);
    try (Writer w1 = new Writer(shards.get(0))) {
      post("/api/v1/pause", "{\"waitSeconds\":1}");
      OperateFixtures.Run table = OperateFixtures.run("status", "--shards", file.toString());
      assertTrue(table.out().matches("(?s).*shard1\\s+yes\\s+PAUSED\\s.*"), table.out());
      assertTrue(table.out().matches("(?s).*shard2\\s+yes\\s+PAUSE_REQUESTED\\s.*"), table.out());
      assertFalse(table.out().contains("every shard acknowledged"), table.out());
      JsonNode j =
          Json.parse(OperateFixtures.run("status", "--shards", file.toString(), "--json").out());
      assertFalse(j.get("allShardsStopped").asBoolean());
      assertEquals("PAUSE_REQUESTED", j.at("/shards/1/pauseState").asText(), j.toString());

      try (Writer w2 = new Writer(shards.get(1))) {
        new ShardsPauseControl(machine, shards).awaitStopped(Duration.ofSeconds(60));
        OperateFixtures.Run stopped = OperateFixtures.run("status", "--shards", file.toString());
        assertTrue(stopped.out().contains("every shard acknowledged the pause"), stopped.out());
        JsonNode js =
            Json.parse(OperateFixtures.run("status", "--shards", file.toString(), "--json").out());
        assertTrue(js.get("allShardsStopped").asBoolean(), js.toString());
      }
    }
  }
}
