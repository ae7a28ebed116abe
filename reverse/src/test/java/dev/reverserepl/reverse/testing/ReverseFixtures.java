package dev.reverserepl.reverse.testing;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.testing.Emulators;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One MariaDB server with a row-format binary log and one Spanner emulator per test JVM, and fresh
 * databases on both per test.
 */
public final class ReverseFixtures {
  public static final String PROJECT = "reverse-project";
  public static final String INSTANCE = "reverse-instance";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedMySql binlogServer;
  private static Optional<Spanner> spanner;

  private ReverseFixtures() {}

  /** MariaDB with {@code log-bin} and {@code binlog_format=ROW}, shared by the JVM's tests. */
  public static synchronized EmbeddedMySql binlogServer() {
    if (binlogServer == null) {
      EmbeddedMySql s =
          EmbeddedMySql.builder()
              .withServerArg("--log-bin=mysql-bin")
              .withServerArg("--binlog_format=ROW")
              .withServerArg("--server-id=1")
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
      binlogServer = s;
    }
    return binlogServer;
  }

  /**
   * The emulator's Spanner client (with a test instance), or empty after printing the loud skip
   * line.
   */
  public static synchronized Optional<Spanner> spannerOrSkip(String test) {
    if (spanner == null) {
      spanner = Emulators.available() ? Optional.of(start()) : Optional.empty();
    }
    if (spanner.isEmpty()) {
      System.out.println(
          "SKIPPED (no emulator): "
              + test
              + " -- the gcloud SDK's cloud_spanner_emulator is not"
              + " installed");
    }
    return spanner;
  }

  private static Spanner start() {
    Emulators.Running emu = Emulators.startSpanner();
    Spanner s =
        SpannerOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emu.hostPort())
            .setCredentials(NoCredentials.getInstance())
            .setBuiltInMetricsEnabled(false)
            .build()
            .getService();
    try {
      s.getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setNodeCount(1)
                  .setDisplayName("reverse")
                  .build())
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the emulator instance", e);
    }
    emulatorHost = emu.hostPort();
    return s;
  }

  private static String emulatorHost;

  public static String emulatorHost() {
    return emulatorHost;
  }

  /** A new Spanner database with the sample DDL. */
  public static DatabaseClient freshSpannerDatabase(Spanner s, String name) {
    try {
      s.getDatabaseAdminClient()
          .createDatabase(INSTANCE, name, statements(resource("/sample/spanner-schema.sql")))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Spanner database " + name, e);
    }
    DatabaseClient db = s.getDatabaseClient(DatabaseId.of(PROJECT, INSTANCE, name));
    new ReversePositionTable(ReversePositionTable.DEFAULT_NAME)
        .createIfMissing(db, s.getDatabaseAdminClient(), INSTANCE, name);
    return db;
  }

  /** A fresh MySQL database with the sample schema on the binlog server, as a shard. */
  public static Shard freshShard(String shardId) {
    String db = "rev" + COUNTER.incrementAndGet() + "_" + shardId;
    EmbeddedMySql server = binlogServer();
    server.recreateDatabase(db);
    sql(server, db, statements(resource("/sample/mysql-schema.sql")).toArray(String[]::new));
    return server.shard(shardId, db);
  }

  public static String uniqueName(String prefix) {
    return prefix + COUNTER.incrementAndGet();
  }

  public static void sql(Shard shard, String... statements) {
    sql(binlogServer(), shard.dbName(), statements);
  }

  private static void sql(EmbeddedMySql server, String db, String... statements) {
    try (Connection c = server.connect(db);
        Statement st = c.createStatement()) {
      for (String q : statements) {
        st.execute(q);
      }
    } catch (Exception e) {
      throw new IllegalStateException("SQL failed on " + db + ": " + e.getMessage(), e);
    }
  }

  public static String resource(String name) {
    try (InputStream in = ReverseFixtures.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path copyResource(String name, Path dir) {
    try {
      Path p = dir.resolve(Path.of(name).getFileName().toString());
      Files.writeString(p, resource(name));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> statements(String text) {
    return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
