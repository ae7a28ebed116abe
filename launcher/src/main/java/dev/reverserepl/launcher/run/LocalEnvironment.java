package dev.reverserepl.launcher.run;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What every {@code rr local} run starts from, whichever buffer and source it uses: a work
 * directory, the session and schema files, one embedded MySQL server with a database per shard, the
 * shards file and a generated workload (change records in {@code changes.jsonl}). Closing it stops
 * the server.
 */
final class LocalEnvironment implements AutoCloseable {
  final Path dir;
  final Path session;
  final Path schema;
  final EmbeddedMySql mysql;
  final List<Shard> shards;
  final Path shardsFile;
  final Path changes;
  final WorkloadSummary workload;

  private LocalEnvironment(
      Path dir,
      Path session,
      Path schema,
      EmbeddedMySql mysql,
      List<Shard> shards,
      Path shardsFile,
      Path changes,
      WorkloadSummary workload) {
    this.dir = dir;
    this.session = session;
    this.schema = schema;
    this.mysql = mysql;
    this.shards = List.copyOf(shards);
    this.shardsFile = shardsFile;
    this.changes = changes;
    this.workload = workload;
  }

  private PrintStream out = System.out;
  private boolean temporary;
  private boolean succeeded;

  /** The run verified: a temporary work directory is removed on close. */
  void succeeded() {
    succeeded = true;
  }

  static LocalEnvironment prepare(LocalSettings settings, PrintStream out) throws IOException {
    boolean temporary = settings.workDir() == null;
    Path dir =
        temporary
            ? Files.createTempDirectory("rr-local-")
            : Files.createDirectories(settings.workDir());
    Path session =
        settings.session() != null ? settings.session() : copyResource("sample/session.json", dir);
    Path schema =
        settings.schema() != null
            ? settings.schema()
            : copyResource("sample/mysql-schema.sql", dir);
    out.println("rr local: work directory " + dir);

    EmbeddedMySql mysql = EmbeddedMySql.builder().withDataDir(dir.resolve("mysql")).start();
    try {
      out.printf(
          Locale.ROOT, "rr local: MySQL-compatible server on %s:%d%n", mysql.host(), mysql.port());
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
      WorkloadSummary workload = generate(settings, session, shards, changes);
      out.printf(
          Locale.ROOT,
          "rr local: workload of %d transactions: %d replicated row changes (%d inserts, %d updates, %d deletes),"
              + " %d forward-migration row changes to filter, %d row changes of Spanner-only tables%n",
          workload.transactions(),
          workload.replicated(),
          workload.inserts(),
          workload.updates(),
          workload.deletes(),
          workload.filtered(),
          workload.skipped());
      LocalEnvironment env =
          new LocalEnvironment(dir, session, schema, mysql, shards, shardsFile, changes, workload);
      env.out = out;
      env.temporary = temporary && !settings.keep();
      return env;
    } catch (IOException | RuntimeException e) {
      mysql.close();
      throw e;
    }
  }

  /** A bundled sample file copied into the work directory. */
  Path sample(String name) throws IOException {
    return copyResource("sample/" + name, dir);
  }

  /** Prints how to reach what is still running, then blocks until Ctrl-C. */
  void keepRunning(PrintStream out, List<String> extraLines) throws InterruptedException {
    out.println("rr local: --keep: servers stay up until Ctrl-C");
    for (Shard s : shards) {
      out.printf(
          Locale.ROOT,
          "  mysql -h %s -P %d -u %s %s%s%n",
          mysql.host(),
          mysql.port(),
          mysql.user(),
          mysql.password() == null || mysql.password().isEmpty() ? "" : "-p ",
          s.dbName());
    }
    out.println("  shards file: " + shardsFile);
    extraLines.forEach(l -> out.println("  " + l));
    out.println("  bin/rr status --shards " + shardsFile);
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
    forever.await();
  }

  /**
   * Stops the server; removes a temporary work directory after a verified run, else says where it
   * is kept.
   */
  @Override
  public void close() {
    mysql.close();
    if (temporary && succeeded) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        out.println("rr local: work directory " + dir + " could not be removed: " + e.getMessage());
        return;
      }
      out.println("rr local: work directory " + dir + " removed");
    } else {
      out.println(
          "rr local: work directory kept: "
              + dir
              + (temporary ? " (the run did not verify; remove it when done)" : ""));
    }
  }

  private static WorkloadSummary generate(
      LocalSettings settings, Path session, List<Shard> shards, Path file) {
    List<String> ids = new ArrayList<>();
    shards.forEach(s -> ids.add(s.logicalShardId()));
    // End the commit timestamps at about now, so that lag figures mean something.
    Instant start = Instant.now().minusMillis(settings.changes());
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(settings.changes())
            .withSeed(settings.seed())
            .withShardIds(ids)
            .withStart(start);
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
      if (s.property("sslMode") != null) {
        m.put("sslMode", s.property("sslMode"));
      }
      list.add(m);
    }
    Path file = dir.resolve("shards.json");
    Files.writeString(
        file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(list));
    return file;
  }

  private static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
    try (InputStream in = LocalEnvironment.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("bundled resource " + name + " is missing from the build");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
