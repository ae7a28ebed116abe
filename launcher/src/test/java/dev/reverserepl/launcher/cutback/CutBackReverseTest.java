package dev.reverserepl.launcher.cutback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Spanner;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.ControlSettings;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.OperateFixtures;
import dev.reverserepl.launcher.operate.PauseControl;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.launcher.run.ReplayRequest;
import dev.reverserepl.launcher.run.ReplayRunner;
import dev.reverserepl.launcher.run.SpannerWorkloadWriter;
import dev.reverserepl.launcher.testing.TestEmulators;
import dev.reverserepl.launcher.verify.SpannerTarget;
import dev.reverserepl.launcher.verify.VerificationReport;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import dev.reverserepl.reverse.ReverseSettings;
import dev.reverserepl.reverse.apply.ReversePosition;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import dev.reverserepl.reverse.point.CutBackTable;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cut-back runbook end to end with real parts: MariaDB shards with row-format binlogs, the
 * Spanner emulator, the writer's replay path for Spanner → MySQL, the control API for commit and
 * reverse, a {@code rr reverse} process killed with SIGKILL and restarted, the verifier, and the
 * flip back.
 */
class CutBackReverseTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void blockReplicateCommitWriteOnMySqlReverseKillRestartVerifyAndFlipBack(@TempDir Path dir)
      throws Exception {
    Optional<TestEmulators> emu =
        TestEmulators.orSkip("CutBackReverseTest.blockReplicateCommit...");
    Assumptions.assumeTrue(emu.isPresent(), "no emulator");
    String emulator = emu.get().spannerHost();
    Path sessionFile = dir.resolve("session.json");
    Files.writeString(sessionFile, CutBackFixtures.resource("/sample/session.json"));
    SessionMapping session = SessionMapping.load(sessionFile.toString());
    List<Shard> shards = CutBackFixtures.shards("shard1", "shard2");
    Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
    Spanner spanner = CutBackFixtures.spanner(emulator);
    String dbName = "cutback" + System.nanoTime() % 100000;
    DatabaseClient db = CutBackFixtures.database(spanner, dbName);
    SpannerTarget target =
        new SpannerTarget(
            CutBackFixtures.PROJECT, CutBackFixtures.INSTANCE, dbName, Optional.empty(), emulator);

    // Workload: real Spanner transactions and the same change records for the writer's replay path.
    Path changes = dir.resolve("changes.jsonl");
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(600)
            .withSeed(7)
            .withShardIds(List.of("shard1", "shard2"))
            .withForwardMigrationShare(0)
            .withSkippedTableShare(0);
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      WorkloadGenerator.forSessionFile(sessionFile.toString(), spec).generate(w::write);
    }
    SpannerWorkloadWriter.to(db).write(changes.toString());

    // The forward run's state as the coordinator sees it; the replay finishes it.
    SyncStateMachine run = new SyncStateMachine(SyncState.RUNNING);
    PauseControl forward = new ShardsPauseControl(run, shards);
    ShardsProgressSource progress =
        new ShardsProgressSource(
            new ProgressReader(shards),
            DirectionMapping.of(
                CutBackFixtures.PROJECT + "/" + CutBackFixtures.INSTANCE + "/" + dbName, shards),
            null);
    try (SpannerConnection sp = SpannerConnection.open(target)) {
      CutBackCoordinator cutBack =
          new CutBackCoordinator(
              shards,
              session,
              forward,
              progress,
              null,
              sp,
              ReverseSettings.defaults(),
              Clock.systemUTC());
      try (ControlServer.Handle api =
          ControlServer.start(
              new ControlSettings("127.0.0.1", 0),
              new CutBackProgress(progress, cutBack),
              cutBack)) {
        CutBackApi.register(api, cutBack);
        String url = api.url() + "/api/v1/";

        // Error cases first: commit without write blocking, reverse before commit.
        JsonNode noBlock = post(url + "commit", "{\"settleSeconds\":1,\"timeoutSeconds\":5}", 400);
        assertEquals("WriteBlockingNotEnabled", noBlock.get("error").asText());
        JsonNode early = post(url + "reverse", "{}", 400);
        assertEquals("InvalidStateTransition", early.get("error").asText());
        assertTrue(
            early.get("errorDescription").asText().contains("required COMMITTED"),
            early.toString());

        // 1. block (shard1 by REVOKE, shard2 by AUTO = read_only here)
        WriteBlocker blocker =
            new WriteBlocker(session, new dev.reverserepl.launcher.operate.ShardConnector());
        assertTrue(blocker.block(shards.get(0), BlockMethod.REVOKE, null).blocked());
        assertEquals(
            BlockMethod.READ_ONLY, blocker.block(shards.get(1), BlockMethod.AUTO, null).method());

        // 2. replicate Spanner → MySQL while a commit waits; MySQL stays blocked until all is
        // applied
        AtomicBoolean replayDone = new AtomicBoolean();
        CompletableFuture<Void> replay =
            CompletableFuture.runAsync(
                () -> {
                  new ReplayRunner(new PrintStream(java.io.OutputStream.nullOutputStream()))
                      .run(
                          ReplayRequest.of(
                              changes.toString(),
                              sessionFile.toString(),
                              shardsFile.toString(),
                              dir.resolve("dlq").toString()));
                  replayDone.set(true);
                  run.transition(SyncState.COMPLETED);
                });
        AtomicLong writableWhileReplaying = new AtomicLong();
        AtomicLong probeWrites = new AtomicLong();
        AtomicBoolean committed = new AtomicBoolean();
        CompletableFuture<Void> probe =
            CompletableFuture.runAsync(
                () -> {
                  long id = 800_000;
                  while (!committed.get()) {
                    for (Shard s : shards) {
                      boolean unapplied = !replayDone.get();
                      if (CutBackFixtures.appCanWrite(s, id++)) {
                        probeWrites.incrementAndGet();
                        if (unapplied) {
                          writableWhileReplaying.incrementAndGet();
                        }
                      }
                    }
                  }
                });
        Instant commitCalled = Instant.now();
        JsonNode ok = post(url + "commit", "{\"settleSeconds\":2,\"timeoutSeconds\":300}", 200);
        Duration commitToCanWrite = Duration.between(commitCalled, Instant.now());
        committed.set(true);
        probe.get();
        replay.get();
        assertTrue(ok.get("success").asBoolean());
        assertEquals(
            0, writableWhileReplaying.get(), "MySQL was writable while changes were unapplied");
        JsonNode doc = get(url + "progress");
        assertEquals("COMMITTED", doc.get("state").asText());
        assertTrue(doc.get("canWrite").asBoolean());
        JsonNode point = doc.get("cutBackState").get("commitPoint");
        assertTrue(
            point.get("shards").get("shard1").get("binlogFile").asText().startsWith("mysql-bin."));
        assertFalse(point.get("shards").get("shard2").get("gtid").asText().isEmpty());
        VerificationReport forwardCheck = verify(session, shards, target);
        assertTrue(forwardCheck.matches(), "MySQL equals Spanner at the commit point");
        System.out.printf(
            "MEASURED commit -> canWrite: %.2f s (includes waiting for the replay, settle 2 s)%n",
            commitToCanWrite.toMillis() / 1000.0);
        System.out.println(
            "MEASURED commit -> canWrite (from the progress document): "
                + doc.get("cutBackState").get("commitToCanWriteSeconds").asDouble()
                + " s");

        // 3. application writes on MySQL after canWrite, before reverse
        long appRows = 2 * probeWrites.get(); // each probe is an insert and a delete
        // customer_id is the Spanner key on its own: every shard gets its own id range
        for (int i = 0; i < shards.size(); i++) {
          assertTrue(CutBackFixtures.appCanWrite(shards.get(i), 700_000 + i));
          appRows += 2; // the probe's insert and delete
          appRows += appWrites(shards.get(i), 1 + i * 10_000, 150);
        }

        // 4. rr reverse as its own process, killed with SIGKILL half-way, then the control API's
        // reverse resumes
        Process p = rrReverse(shardsFile, sessionFile, target, emulator);
        ReversePositionTable table = new ReversePositionTable(ReversePositionTable.DEFAULT_NAME);
        await(
            () -> {
              try {
                return table.readAll(db.singleUse()).stream()
                        .mapToLong(ReversePosition::appliedRows)
                        .sum()
                    > 20;
              } catch (RuntimeException tableNotYet) {
                return false;
              }
            },
            Duration.ofSeconds(90),
            "the reverse process applied some rows");
        p.destroyForcibly().waitFor();
        long afterKill =
            table.readAll(db.singleUse()).stream().mapToLong(ReversePosition::appliedRows).sum();
        assertTrue(afterKill < appRows, "killed before the end: " + afterKill + " of " + appRows);

        Instant reverseCalled = Instant.now();
        assertTrue(post(url + "reverse", "{}", 200).get("success").asBoolean());
        JsonNode rev = get(url + "progress");
        assertEquals("RUNNING", rev.get("state").asText());
        assertTrue(rev.get("canWrite").asBoolean());
        assertEquals(
            List.of(
                "spanner://"
                    + CutBackFixtures.PROJECT
                    + "/"
                    + CutBackFixtures.INSTANCE
                    + "/"
                    + dbName),
            List.of(rev.get("directionMapping").get("destination").get(0).asText()));
        for (int i = 0; i < shards.size(); i++) {
          appRows +=
              appWrites(
                  shards.get(i), 1000 + i * 10_000, 100); // writes while the reverse direction runs
        }
        await(() -> caughtUp(shards, table, db), Duration.ofSeconds(120), "reverse caught up");
        Duration reverseTime = Duration.between(reverseCalled, Instant.now());
        long applied =
            table.readAll(db.singleUse()).stream().mapToLong(ReversePosition::appliedRows).sum();
        assertEquals(appRows, applied, "every MySQL row change applied to Spanner exactly once");
        System.out.printf(
            "MEASURED reverse apply into the emulator: %d rows in %.2f s after the restart = %.0f rows/s"
                + " (%d rows were applied before the kill)%n",
            applied - afterKill,
            reverseTime.toMillis() / 1000.0,
            (applied - afterKill) / (reverseTime.toMillis() / 1000.0),
            afterKill);
        VerificationReport reverseCheck = verify(session, shards, target);
        reverseCheck.print(System.out);
        assertTrue(reverseCheck.matches(), "Spanner equals MySQL after the reverse");

        // 5. a further reverse flips back to Spanner → MySQL from where the reverse got to
        JsonNode notBlocked = post(url + "reverse", "{}", 400);
        assertEquals("WriteBlockingNotEnabled", notBlocked.get("error").asText());
        for (Shard s : shards) {
          assertTrue(blocker.block(s, BlockMethod.AUTO, null).blocked());
        }
        Instant beforeFlip = lastReverseCommit(table, db);
        assertTrue(
            post(url + "reverse", "{\"timeoutSeconds\":60}", 200).get("success").asBoolean());
        JsonNode back = get(url + "progress");
        assertEquals("RUNNING", back.get("state").asText());
        assertFalse(back.get("canWrite").asBoolean());
        assertEquals("SPANNER_TO_MYSQL", back.get("cutBackState").get("direction").asText());
        Instant start =
            Instant.parse(back.get("cutBackState").get("changeStreamStartTimestamp").asText());
        // Every row change was in Spanner before the flip; only position rows (no data, tagged) may
        // follow it.
        assertTrue(
            !start.isBefore(beforeFlip) && !start.isAfter(lastReverseCommit(table, db)),
            "the change stream restarts at the last Spanner commit of the reverse: " + start);
        for (Shard s : shards) {
          try (Connection c = CutBackFixtures.server().connect(s.dbName())) {
            assertEquals(
                Optional.of(start),
                CutBackTable.read(c, s.logicalShardId()).orElseThrow().flipStart());
          }
        }
        long spannerRows = countCustomers(db);
        assertEquals(
            spannerRows,
            countMySqlCustomers(shards),
            "nothing copied again: both sides already equal");
        assertTrue(verify(session, shards, target).matches());
        cutBack.close();
        CutBackFixtures.unblockNewestFirst(session, shards);
      }
    }
  }

  static long appWrites(Shard s, int base, int n) throws Exception {
    long rows = 0;
    try (Connection c = CutBackFixtures.app(s);
        Statement st = c.createStatement()) {
      for (int i = base; i < base + n; i++) {
        st.execute(
            "INSERT INTO customers (customer_id, full_name, balance, created_at) VALUES ("
                + (500_000 + i)
                + ", 'app "
                + i
                + "', "
                + i
                + ".25, '2026-02-01 10:00:00.123456')");
        rows++;
        if (i % 3 == 0) {
          st.execute(
              "UPDATE customers SET email = 'u" + i + "@x' WHERE customer_id = " + (500_000 + i));
          rows++;
        }
        if (i % 5 == 0) {
          st.execute("DELETE FROM customers WHERE customer_id = " + (500_000 + i));
          rows++;
        }
      }
    }
    return rows;
  }

  static Instant lastReverseCommit(ReversePositionTable table, DatabaseClient db) {
    return table.readAll(db.singleUse()).stream()
        .map(r -> r.spannerCommitTimestamp().orElseThrow().toSqlTimestamp().toInstant())
        .max(Instant::compareTo)
        .orElseThrow();
  }

  static boolean caughtUp(List<Shard> shards, ReversePositionTable table, DatabaseClient db) {
    for (Shard s : shards) {
      try (Connection c = CutBackFixtures.server().connect(s.dbName())) {
        var end = dev.reverserepl.reverse.binlog.BinlogServer.currentPosition(c, s);
        var stored = table.read(db.singleUse(), s.logicalShardId());
        if (stored.isEmpty() || end.isAfter(stored.get().applied())) {
          return false;
        }
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  static Process rrReverse(Path shardsFile, Path sessionFile, SpannerTarget t, String emulator)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.reverserepl.launcher.Rr",
            "reverse",
            "--shards",
            shardsFile.toString(),
            "--session",
            sessionFile.toString(),
            "--spanner",
            t.project() + "/" + t.instance() + "/" + t.database(),
            "--spanner-emulator-host",
            emulator,
            "--progress-every",
            "1");
    pb.environment().put("SPANNER_DISABLE_BUILTIN_METRICS", "true");
    pb.inheritIO();
    return pb.start();
  }

  static VerificationReport verify(
      SessionMapping session, List<Shard> shards, SpannerTarget target) {
    return new Verifier(
            session, shards, VerifySettings.defaults().withRecheckDelay(Duration.ofMillis(200)))
        .verifySpanner(target);
  }

  static long countCustomers(DatabaseClient db) {
    try (var rs =
        db.singleUse()
            .executeQuery(
                com.google.cloud.spanner.Statement.of("SELECT COUNT(*) FROM customers"))) {
      rs.next();
      return rs.getLong(0);
    }
  }

  static long countMySqlCustomers(List<Shard> shards) throws Exception {
    long n = 0;
    for (Shard s : shards) {
      try (Connection c = CutBackFixtures.server().connect(s.dbName());
          var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM customers")) {
        rs.next();
        n += rs.getLong(1);
      }
    }
    return n;
  }

  static JsonNode post(String url, String body, int status) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofMinutes(6))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return Json.parse(r.body());
  }

  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.parse(r.body());
  }

  static void await(java.util.function.BooleanSupplier c, Duration max, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
