package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.control.MySqlPauseGate;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.writer.apply.ApplyReport;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import dev.reverserepl.writer.retry.RetryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API over real HTTP on loopback, against real shards. */
class ControlApiTest {
  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  static List<Shard> shards;
  static SessionMapping session;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dlqDir;
  SyncStateMachine machine;
  ShardsProgressSource source;
  ShardsPauseControl pause;
  ControlServer.Handle api;

  @BeforeAll
  static void shards() throws Exception {
    shards = OperateFixtures.freshShards("api", "shard1", "shard2");
    session = SessionMapping.load(OperateFixtures.fixture("guestbook/session.json").toString());
    for (Shard s : shards) {
      try (Connection c = connect(s);
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE Guests (id INT NOT NULL PRIMARY KEY, name VARCHAR(25), `group` VARCHAR(25))");
      }
    }
  }

  @BeforeEach
  void startApi() {
    machine = new SyncStateMachine();
    machine.transition(SyncState.STARTING);
    pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    machine.transition(SyncState.RUNNING);
    source =
        new ShardsProgressSource(
            new ProgressReader(shards),
            DirectionMapping.of("proj/inst/db", shards),
            dlqDir.toString());
    api = ControlServer.start(ControlSettings.defaults(), source, pause);
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  static Connection connect(Shard s) throws Exception {
    return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
  }

  record Reply(int status, JsonNode body) {}

  Reply call(String method, String path) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(30));
    b =
        method.equals("POST")
            ? b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{ }"))
            : b.method(method, HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), Json.parse(r.body()));
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertTrue(api.address().getAddress().isLoopbackAddress(), api.address().toString());
    assertTrue(api.url().startsWith("http://127.0.0.1:"), api.url());
  }

  @Test
  void progressDocumentHasStateLagCutBackMappingShardsAndVerification() throws Exception {
    Reply r = call("GET", "/api/v1/progress");
    assertEquals(200, r.status());
    JsonNode d = r.body();
    assertEquals("RUNNING", d.get("state").asText());
    assertTrue(d.has("lagTimeSeconds"));
    assertTrue(d.get("canCutBack").isBoolean());
    assertEquals("spanner://proj/inst/db", d.get("directionMapping").get("source").asText());
    assertEquals(
        List.of("mysql://shard1", "mysql://shard2"),
        Json.mapper().convertValue(d.get("directionMapping").get("destination"), List.class));
    assertTrue(d.get("shards").has("shard1") && d.get("shards").has("shard2"), d.toString());
    assertTrue(d.get("shards").get("shard1").get("reachable").asBoolean());
    assertTrue(d.get("verification").isNull());

    source.recordVerification(Json.parse("{\"status\":\"MATCH\"}"));
    assertEquals(
        "MATCH", call("GET", "/api/v1/progress").body().get("verification").get("status").asText());
  }

  @Test
  void canCutBackOnlyWhenEveryShardIsCaughtUpAndNoDeadLetterIsPending() throws Exception {
    ProgressTable table = new ProgressTable(ProgressTable.DEFAULT_NAME);
    writePosition(table, shards.get(0), T0.plusSeconds(10));
    writePosition(table, shards.get(1), T0.plusSeconds(4));
    source.observeSourceCommit(T0.plusSeconds(10));
    JsonNode d = call("GET", "/api/v1/progress").body();
    assertFalse(d.get("canCutBack").asBoolean(), d.toString());
    assertTrue(d.get("cutBack").get("blockedBy").toString().contains("shard2"), d.toString());

    // Requested at a time both shards have reached.
    JsonNode at = call("GET", "/api/v1/progress?at=" + T0.plusSeconds(4)).body();
    assertTrue(at.get("canCutBack").asBoolean(), at.toString());

    writePosition(table, shards.get(1), T0.plusSeconds(10));
    assertTrue(call("GET", "/api/v1/progress").body().get("canCutBack").asBoolean());

    new DeadLetterQueue(dlqDir.toString())
        .write(DeadLetter.apply("shard1", usersInsert(99, T0), "boom", 1, T0));
    JsonNode blocked = call("GET", "/api/v1/progress").body();
    assertFalse(blocked.get("canCutBack").asBoolean());
    assertEquals(1, blocked.get("cutBack").get("pendingDeadLetters").asLong());
  }

  @Test
  void pauseStopsApplyingAndResumeContinuesWithNothingLost() throws Exception {
    Shard shard = shards.get(0);
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(shard.jdbcUrl());
    hc.setUsername(shard.user());
    hc.setPassword(shard.password());
    hc.setMaximumPoolSize(3);
    try (HikariDataSource ds = new HikariDataSource(hc);
        MySqlPauseGate gate =
            new MySqlPauseGate(
                ds, new ControlTable(), Duration.ofMillis(50), Duration.ofMillis(100))) {
      ShardApplier applier =
          new ShardApplier(
                  "shard1",
                  ds,
                  session,
                  new ChangeTranslator(session, new MySqlValueConverter()),
                  ApplySettings.DEFAULT.withProgressTableName("rr_pause_progress"),
                  new MySqlRetryStrategy(),
                  RetryConfig.DEFAULT,
                  letters -> {})
              .withPauseGate(gate);

      Reply paused = call("POST", "/api/v1/pause");
      assertEquals(200, paused.status(), paused.body().toString());
      assertTrue(paused.body().get("success").asBoolean());
      assertEquals("PAUSED", call("GET", "/api/v1/progress").body().get("state").asText());
      for (Shard s : shards) {
        try (Connection c = connect(s)) {
          assertTrue(new ControlTable().isPaused(c), s.logicalShardId());
        }
      }

      CompletableFuture<ApplyReport> applying =
          CompletableFuture.supplyAsync(
              () ->
                  applier.apply(
                      0,
                      List.of(
                          new SequencedChange(
                              "shard1", 0, 1, 1, true, usersInsert(7, T0.plusSeconds(20)))),
                      0));
      // While paused nothing can commit, however long we look; one second is just how long we look.
      Thread.sleep(1000);
      assertFalse(applying.isDone());
      assertEquals(0, countUsers(shard, 7));

      Reply resumed = call("POST", "/api/v1/resume");
      assertEquals(200, resumed.status(), resumed.body().toString());
      ApplyReport report = applying.get(60, TimeUnit.SECONDS);
      assertEquals(1, countUsers(shard, 7));
      assertEquals(1, report.applied(), report.toString());
      assertEquals("RUNNING", call("GET", "/api/v1/progress").body().get("state").asText());
    }
  }

  @Test
  void badTransitionGivesTheErrorShapeWithCurrentAndRequiredState() throws Exception {
    Reply r = call("POST", "/api/v1/resume");
    assertEquals(400, r.status());
    assertFalse(r.body().get("success").asBoolean());
    assertEquals("InvalidStateTransition", r.body().get("error").asText());
    assertTrue(
        r.body()
            .get("errorDescription")
            .asText()
            .contains("current state RUNNING, required PAUSED"),
        r.body().toString());

    assertEquals(200, call("POST", "/api/v1/pause").status());
    Reply twice = call("POST", "/api/v1/pause");
    assertEquals(400, twice.status());
    assertTrue(
        twice
            .body()
            .get("errorDescription")
            .asText()
            .contains("current state PAUSED, required RUNNING"));
    assertEquals(200, call("POST", "/api/v1/resume").status());
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    Reply nf = call("GET", "/api/v1/reverse");
    assertEquals(404, nf.status());
    assertEquals("NotFound", nf.body().get("error").asText());
    Reply wrong = call("GET", "/api/v1/pause");
    assertEquals(405, wrong.status());
    assertEquals("MethodNotAllowed", wrong.body().get("error").asText());
    assertEquals(400, call("GET", "/api/v1/progress?at=yesterday").status());
  }

  @Test
  void stateMachineRejectsSkippingStates() {
    SyncStateMachine m = new SyncStateMachine();
    InvalidStateTransitionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidStateTransitionException.class, () -> m.transition(SyncState.PAUSED));
    assertEquals(SyncState.IDLE, e.current());
    assertEquals(java.util.Set.of(SyncState.RUNNING), e.required());
  }

  static void writePosition(ProgressTable table, Shard s, Instant commit) throws Exception {
    try (Connection c = connect(s)) {
      table.createIfMissing(c);
      table.write(
          c,
          new AppliedPosition(
              s.logicalShardId(),
              0,
              1,
              1,
              new ChangePosition(ChangePosition.toNanos(commit), "tx", 1, 0),
              1,
              0,
              commit));
    }
  }

  static Change usersInsert(int id, Instant commit) {
    return new Change(
        "Guests",
        ModKind.INSERT,
        "{\"id\":\"" + id + "\"}",
        "{\"name\":\"n" + id + "\",\"group\":\"x\"}",
        new ChangePosition(ChangePosition.toNanos(commit), "tx-" + id, 1, 0),
        "",
        1);
  }

  static int countUsers(Shard s, int id) throws Exception {
    try (Connection c = connect(s);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM Guests WHERE id = " + id)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
