package dev.reverserepl.launcher.run;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rr local}: embedded MySQL shards and Kafka, a generated workload, both pipelines, live progress and a
 * verification, in one process.
 */
public final class LocalRun implements Callable<Integer> {
  private final LocalSettings settings;
  private final PrintStream out;

  public LocalRun(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    Path dir = settings.workDir() != null ? Files.createDirectories(settings.workDir()) : Files.createTempDirectory("rr-local-");
    Path session = settings.session() != null ? settings.session() : copyResource("sample/session.json", dir);
    Path schema = settings.schema() != null ? settings.schema() : copyResource("sample/mysql-schema.sql", dir);
    out.println("rr local: work directory " + dir);

    EmbeddedMySql mysql = EmbeddedMySql.builder().withDataDir(dir.resolve("mysql")).start();
    EmbeddedKafka kafka = null;
    try {
      out.printf(Locale.ROOT, "rr local: MySQL-compatible server on %s:%d%n", mysql.host(), mysql.port());
      List<Shard> shards = new ArrayList<>();
      for (int i = 1; i <= settings.shards(); i++) {
        String id = "shard" + i;
        mysql.recreateDatabase(id);
        mysql.runSqlFile(id, schema);
        shards.add(mysql.shard(id, id));
      }
      Path shardsFile = writeShardsFile(dir, shards);
      out.println("rr local: " + shards.size() + " shard databases created from " + schema);

      Path changes = dir.resolve("changes.jsonl");
      WorkloadSummary workload = generate(session, shards, changes);
      out.printf(
          Locale.ROOT,
          "rr local: workload of %d transactions: %d replicated changes (%d inserts, %d updates, %d deletes), %d forward-migration changes to filter, %d changes of Spanner-only tables%n",
          workload.transactions(), workload.replicated(), workload.inserts(), workload.updates(), workload.deletes(),
          workload.filtered(), workload.skipped());

      String bootstrap = null;
      if (settings.buffer().equals("kafka")) {
        kafka = EmbeddedKafka.start();
        bootstrap = kafka.bootstrapServers();
        out.println("rr local: Kafka broker on " + bootstrap);
      }
      ReplayRequest request =
          ReplayRequest.of(changes.toString(), session.toString(), shardsFile.toString(), dir.resolve("dlq").toString())
              .withBuffer(settings.buffer(), bootstrap)
              .withPartitionsPerShard(settings.partitionsPerShard())
              .withControl(settings.control());
      ReplaySummary summary = new ReplayRunner(out).run(request);
      out.println("rr local: replication summary " + summary.toJson());

      boolean matches = LocalVerification.verify(session, shardsFile, changes, out).matches();
      boolean countsRight =
          summary.applied() == workload.replicated()
              && summary.filtered() == workload.filtered()
              && summary.skippedTables() == workload.skipped()
              && summary.deadLettered() == 0;
      if (!countsRight) {
        out.printf(Locale.ROOT, "rr local: counts differ from the workload: applied %d of %d, filtered %d of %d, skipped %d of %d, dead-lettered %d%n",
            summary.applied(), workload.replicated(), summary.filtered(), workload.filtered(), summary.skippedTables(),
            workload.skipped(), summary.deadLettered());
      }
      Duration took = Duration.between(started, Instant.now());
      out.printf(Locale.ROOT, "rr local: %s in %.1f s%n", matches && countsRight ? "VERIFIED: every shard matches the workload" : "MISMATCH", took.toMillis() / 1000.0);
      if (settings.keep()) {
        keepRunning(mysql, shards, shardsFile, bootstrap);
      }
      return matches && countsRight ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      mysql.close();
    }
  }

  private WorkloadSummary generate(Path session, List<Shard> shards, Path file) {
    List<String> ids = new ArrayList<>();
    shards.forEach(s -> ids.add(s.logicalShardId()));
    // End the commit timestamps at about now, so that lag figures mean something.
    Instant start = Instant.now().minusMillis(settings.changes());
    WorkloadSpec spec = WorkloadSpec.defaults().withChanges(settings.changes()).withSeed(settings.seed()).withShardIds(ids).withStart(start);
    try (ChangeRecordWriter writer = ChangeRecordWriter.create(file)) {
      return WorkloadGenerator.forSessionFile(session.toString(), spec).generate(writer::write);
    }
  }

  private static Path writeShardsFile(Path dir, List<Shard> shards) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Shard s : shards) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("logicalShardId", s.logicalShardId());
      m.put("host", s.host());
      m.put("user", s.user());
      m.put("password", s.password() == null ? "" : s.password());
      m.put("port", Integer.toString(s.port()));
      m.put("dbName", s.dbName());
      list.add(m);
    }
    Path file = dir.resolve("shards.json");
    Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(list));
    return file;
  }

  private static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
    try (InputStream in = LocalRun.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("bundled resource " + name + " is missing from the build");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private void keepRunning(EmbeddedMySql mysql, List<Shard> shards, Path shardsFile, String bootstrap) throws InterruptedException {
    out.println("rr local: --keep: servers stay up until Ctrl-C");
    for (Shard s : shards) {
      out.printf(Locale.ROOT, "  mysql -h %s -P %d -u %s %s%s%n", mysql.host(), mysql.port(), mysql.user(),
          mysql.password() == null || mysql.password().isEmpty() ? "" : "-p ", s.dbName());
    }
    out.println("  shards file: " + shardsFile);
    if (bootstrap != null) {
      out.println("  Kafka bootstrap servers: " + bootstrap);
    }
    out.println("  bin/rr status --shards " + shardsFile);
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
    forever.await();
  }
}
