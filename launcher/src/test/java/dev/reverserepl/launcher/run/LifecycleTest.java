package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs' lifecycle with real processes: {@code rr run --pipelines ordering} and {@code
 * --pipelines writer} as two JVMs, a real Kafka broker and real MySQL shards, while a generator
 * keeps adding change-record files. The ordering process and then the writer process are killed
 * with SIGKILL at random moments and started again with the documented command (the same command),
 * then both are stopped with SIGTERM and started again. Afterwards every shard reaches the last
 * commit, the rows equal what the changes imply, every change is applied exactly once, and no
 * progress document ever claimed {@code canCutBack} while a change up to its target was missing.
 */
class LifecycleTest {
  @TempDir Path dir;

  private final Random random = new Random();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void killsAndRestartsOfEitherJobLoseNothingAndDuplicateNothing() throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Path session = resource("sample/session.json");
    Path schema = resource("sample/mysql-schema.sql");
    List<String> ids = List.of("life1", "life2");
    List<Map<String, Object>> list = new ArrayList<>();
    for (String id : ids) {
      String db = "lifecycle_" + id;
      mysql.recreateDatabase(db);
      mysql.runSqlFile(db, schema);
      Shard s = mysql.shard(id, db);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("logicalShardId", id);
      m.put("host", s.host());
      m.put("user", s.user());
      m.put("password", s.password() == null ? "" : s.password());
      m.put("port", s.port());
      m.put("dbName", db);
      list.add(m);
    }
    Path shardsFile = dir.resolve("shards.json");
    Files.writeString(shardsFile, Json.write(list));
    List<Shard> shards = ShardsFile.load(shardsFile.toString());
    ProgressReader progress = new ProgressReader(shards);
    Path changes = Files.createDirectories(dir.resolve("changes"));
    Report report = new Report();
    long t0 = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        ChangeFileGenerator generator = new ChangeFileGenerator(session, changes, ids)) {
      kafka.createTopic("rr-life", 2);
      List<String> common =
          List.of(
              "--changeRecordsPath=" + changes,
              "--followChangeRecords=true",
              "--followChangeRecordsMaxDelaySeconds=3",
              "--progressIntervalSeconds=1",
              "--sessionFilePath=" + session,
              "--sourceShardsFilePath=" + shardsFile,
              "--sinkType=kafka",
              "--bufferType=kafka",
              "--kafkaBootstrapServers=" + kafka.bootstrapServers(),
              "--kafkaTopic=rr-life",
              "--deadLetterQueueDirectory=" + dir.resolve("dlq"),
              "--spannerProjectId=local",
              "--rewindMarginSeconds=5",
              "--enforceImmutability=false",
              "--enforceEncodability=false");
      RrProcess.Factory rr = new RrProcess.Factory(dir.resolve("logs"), common);
      generator.start();
      RrProcess ordering = rr.start("ordering").awaitStarted();
      RrProcess writer = rr.start("writer").awaitStarted();
      report.currentWriter.set(writer);
      CutBackMonitor monitor = new CutBackMonitor(report.currentWriter::get, generator, progress);
      monitor.start();
      try {
        report.catchUp.put("first start", catchUp(progress, generator.lastCommit(), report));
        pause(2, 6);
        ordering.kill();
        report.kills++;
        long restart = System.nanoTime();
        ordering = rr.start("ordering").awaitStarted();
        report.catchUp.put(
            "ordering SIGKILL", catchUp(progress, generator.lastCommit(), report, restart));

        pause(2, 6);
        writer.kill();
        report.kills++;
        restart = System.nanoTime();
        writer = rr.start("writer").awaitStarted();
        report.currentWriter.set(writer);
        report.catchUp.put(
            "writer SIGKILL", catchUp(progress, generator.lastCommit(), report, restart));

        pause(2, 6);
        ordering.terminate();
        writer.terminate();
        report.drains++;
        restart = System.nanoTime();
        ordering = rr.start("ordering");
        writer = rr.start("writer");
        ordering.awaitStarted();
        writer.awaitStarted();
        report.currentWriter.set(writer);
        report.catchUp.put(
            "both SIGTERM", catchUp(progress, generator.lastCommit(), report, restart));

        pause(2, 4);
        generator.close();
        report.catchUp.put("final", catchUp(progress, generator.lastCommit(), report));
      } finally {
        monitor.close();
        ordering.terminate();
        writer.terminate();
      }
      Instant last = generator.lastCommit();

      List<ShardProgress> end = progress.read();
      long applied = end.stream().mapToLong(ShardProgress::appliedCount).sum();
      String logs = rr.tails();
      System.out.printf(
          "lifecycle: %d changes in %d files, %d SIGKILLs, %d SIGTERM stops of both, catch-up %s,"
              + " %d progress documents checked, %.1f s in all%n",
          generator.replicated(),
          generator.files(),
          report.kills,
          report.drains,
          report.catchUp,
          monitor.checked(),
          (System.nanoTime() - t0) / 1e9);
      for (ShardProgress s : end) {
        assertTrue(
            s.caughtUpTo(last),
            s.shardId()
                + " applied through "
                + s.appliedThrough()
                + ", last commit "
                + last
                + "\n"
                + logs);
      }
      assertEquals(generator.replicated(), applied, "every change applied exactly once\n" + logs);
      assertTrue(
          monitor.violations().isEmpty(), "canCutBack claimed too early: " + monitor.violations());
      assertTrue(monitor.checked() > 0, "the progress documents were read\n" + logs);
      assertTrue(
          new Verifier(
                  SessionMapping.load(session.toString()),
                  shards,
                  VerifySettings.defaults().withRecheckDelay(Duration.ZERO))
              .verifyChanges(changes.toString())
              .matches(),
          "rows equal what the changes imply\n" + logs);
    }
  }

  private static double catchUp(ProgressReader progress, Instant target, Report report)
      throws InterruptedException {
    return catchUp(progress, target, report, System.nanoTime());
  }

  /**
   * Seconds from {@code start} until every shard is complete through {@code target}; fails after
   * four minutes.
   */
  private static double catchUp(ProgressReader progress, Instant target, Report report, long start)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (progress.read().stream().allMatch(s -> s.caughtUpTo(target))) {
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "shards not complete through "
            + target
            + " within 4 minutes: "
            + progress.read()
            + " (catch-up so far "
            + report.catchUp
            + ")");
  }

  private void pause(int minSeconds, int maxSeconds) throws InterruptedException {
    Thread.sleep(1000L * minSeconds + random.nextInt(1000 * (maxSeconds - minSeconds)));
  }

  private Path resource(String name) throws Exception {
    Path p = dir.resolve(Path.of(name).getFileName());
    try (var in = getClass().getClassLoader().getResourceAsStream(name)) {
      Files.copy(in, p);
    }
    return p;
  }

  private static final class Report {
    int kills;
    int drains;
    final Map<String, Double> catchUp = new LinkedHashMap<>();
    final AtomicReference<RrProcess> currentWriter = new AtomicReference<>();
  }

  /**
   * Reads the writer process's progress document every 300 ms. Whenever it says {@code canCutBack}
   * with target X, the shards must already hold every change committed up to X: their applied
   * counts, read just after, must cover all changes of the files whose commits are all at or before
   * X.
   */
  private final class CutBackMonitor extends Thread implements AutoCloseable {
    private final java.util.function.Supplier<RrProcess> writer;
    private final ChangeFileGenerator generator;
    private final ProgressReader progress;
    private final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile int checked;

    CutBackMonitor(
        java.util.function.Supplier<RrProcess> writer,
        ChangeFileGenerator generator,
        ProgressReader progress) {
      this.writer = writer;
      this.generator = generator;
      this.progress = progress;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        try {
          String url = writer.get().apiUrl();
          if (url != null) {
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(url + "/api/v1/progress"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode doc = Json.parse(r.body());
            checked++;
            if (doc.path("canCutBack").asBoolean(false)) {
              Instant target =
                  Instant.parse(doc.path("cutBack").path("targetCommitTimestamp").asText());
              long needed = generator.replicatedThrough(target);
              long applied = progress.read().stream().mapToLong(ShardProgress::appliedCount).sum();
              if (applied < needed) {
                violations.add(
                    "canCutBack at target "
                        + target
                        + " with "
                        + applied
                        + " applied of "
                        + needed);
              }
            }
          }
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // The writer process is being restarted; its API comes back with the new process.
        }
      }
    }

    int checked() {
      return checked;
    }

    List<String> violations() {
      return violations;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      interrupt();
      join(5000);
    }
  }
}
