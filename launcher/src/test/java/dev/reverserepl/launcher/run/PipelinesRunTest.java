package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rr run}: ordering and writer side by side through a real Kafka broker into real MySQL
 * shards, until stopped.
 */
class PipelinesRunTest {
  @TempDir Path dir;

  @Test
  void bothPipelinesRunUntilStoppedAndTheShardsMatch() throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Path session = dir.resolve("session.json");
    Path schema = dir.resolve("schema.sql");
    try (var in = getClass().getClassLoader().getResourceAsStream("sample/session.json")) {
      Files.copy(in, session);
    }
    try (var in = getClass().getClassLoader().getResourceAsStream("sample/mysql-schema.sql")) {
      Files.copy(in, schema);
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (String id : List.of("run1", "run2")) {
      String db = "prun_" + id;
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
    Path changes = dir.resolve("changes.jsonl");
    WorkloadSummary workload;
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      workload =
          WorkloadGenerator.forSessionFile(
                  session.toString(),
                  WorkloadSpec.defaults().withChanges(300).withShardIds(List.of("run1", "run2")))
              .generate(w::write);
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String[] args = {
        "--changeRecordsPath=" + changes,
        "--sessionFilePath=" + session,
        "--sourceShardsFilePath=" + shardsFile,
        "--sinkType=kafka",
        "--bufferType=kafka",
        "--kafkaBootstrapServers=" + kafka.bootstrapServers(),
        "--kafkaTopic=rr-run-test",
        "--deadLetterQueueDirectory=" + dir.resolve("dlq"),
        "--spannerProjectId=local"
      };
      kafka.createTopic("rr-run-test", 2);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PipelinesRun run = new PipelinesRun(new PrintStream(buf, true, StandardCharsets.UTF_8));
      AtomicInteger exit = new AtomicInteger(-1);
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  exit.set(run.run(args, null, 1));
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      t.start();
      List<Shard> shards = ShardsFile.load(shardsFile.toString());
      long applied = 0;
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
      while (applied < workload.replicated()
          && System.currentTimeMillis() < deadline
          && t.isAlive()) {
        Thread.sleep(500);
        applied =
            new ProgressReader(shards).read().stream().mapToLong(ShardProgress::appliedCount).sum();
      }
      run.stop();
      t.join(60_000);
      String output =
          buf.toString(StandardCharsets.UTF_8)
              + (failure.get() == null ? "" : "\nrun failed: " + failure.get());
      assertEquals(workload.replicated(), applied, output);
      assertEquals(0, exit.get(), output);
      assertTrue(output.contains("progress"), output);
      assertTrue(
          new Verifier(
                  SessionMapping.load(session.toString()),
                  shards,
                  VerifySettings.defaults().withRecheckDelay(Duration.ZERO))
              .verifyChanges(changes.toString())
              .matches());
    }
  }
}
