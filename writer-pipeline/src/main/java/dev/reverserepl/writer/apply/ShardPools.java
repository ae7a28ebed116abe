package dev.reverserepl.writer.apply;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reverserepl.common.control.MySqlPauseGate;
import dev.reverserepl.common.control.PauseGate;
import dev.reverserepl.common.shards.Shard;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One HikariCP pool per shard per worker JVM, shared by reference count, with the shard's {@link
 * MySqlPauseGate} (one idle watcher per shard per JVM, however many DoFn instances apply to it).
 *
 * <p>The process-wide {@link #shared()} registry is the one mutable static of the writer, and on
 * purpose: a runner creates many instances of the apply DoFn per worker (one per thread), so
 * per-instance pools would multiply the shard's connections by the thread count and break the
 * {@code maxShardConnections} budget. The registry is only reachable through {@link
 * #acquire}/{@link Lease#close()}, and a pool closes when its last lease does.
 */
public final class ShardPools {
  private static final ShardPools SHARED = new ShardPools();

  /**
   * Driver properties of every pooled connection; the shards file's {@code connectionProperties}
   * (part of the URL) take precedence. Full multi-row statements repeat the same SQL text, so the
   * driver keeps their parsed form; session state the driver tracks itself costs no round trip.
   */
  public static final Map<String, String> DRIVER_DEFAULTS =
      Map.of(
          "cachePrepStmts", "true",
          "prepStmtCacheSize", "256",
          "prepStmtCacheSqlLimit", "1048576",
          "useLocalSessionState", "true");

  private final Map<String, Entry> pools = new HashMap<>();

  public static ShardPools shared() {
    return SHARED;
  }

  /** A lease on the pool of {@code shard} with at most {@code maxConnections} connections. */
  public synchronized Lease acquire(Shard shard, int maxConnections, PasswordResolver passwords) {
    String key =
        shard.logicalShardId() + "|" + shard.jdbcUrl() + "|" + shard.user() + "|" + maxConnections;
    Entry e = pools.get(key);
    if (e == null) {
      e = new Entry(createPool(shard, maxConnections, passwords));
      pools.put(key, e);
    }
    e.references++;
    return new Lease(this, key, e.dataSource, e.pauseGate);
  }

  private synchronized void release(String key) {
    Entry e = pools.get(key);
    if (e != null && --e.references == 0) {
      pools.remove(key);
      e.pauseGate.close();
      e.dataSource.close();
    }
  }

  static HikariDataSource createPool(Shard shard, int maxConnections, PasswordResolver passwords) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("rr-writer-" + shard.logicalShardId());
    c.setJdbcUrl(shard.jdbcUrl());
    c.setUsername(shard.user());
    c.setPassword(passwords.password(shard));
    c.setMaximumPoolSize(Math.max(1, maxConnections));
    c.setMinimumIdle(0);
    c.setConnectionTimeout(10_000);
    // Start even while the shard is down: the applier's retries wait for it instead of the pipeline
    // failing.
    c.setInitializationFailTimeout(-1);
    c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    c.setConnectionInitSql("SET SESSION foreign_key_checks = 0");
    DRIVER_DEFAULTS.forEach(c::addDataSourceProperty);
    return new HikariDataSource(c);
  }

  private static final class Entry {
    final HikariDataSource dataSource;
    final PauseGate pauseGate;
    int references;

    Entry(HikariDataSource dataSource) {
      this.dataSource = dataSource;
      this.pauseGate = new MySqlPauseGate(dataSource);
    }
  }

  /** A reference to a shared pool; close it exactly once. */
  public static final class Lease implements AutoCloseable {
    private final ShardPools owner;
    private final String key;
    private final DataSource dataSource;
    private final PauseGate pauseGate;
    private boolean closed;

    Lease(ShardPools owner, String key, DataSource dataSource, PauseGate pauseGate) {
      this.owner = owner;
      this.key = key;
      this.dataSource = dataSource;
      this.pauseGate = pauseGate;
    }

    public DataSource dataSource() {
      return dataSource;
    }

    /** The shard's pause gate, shared like the pool. */
    public PauseGate pauseGate() {
      return pauseGate;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        owner.release(key);
      }
    }
  }

  /** For diagnostics and tests: the number of open pools. */
  public synchronized int openPools() {
    return pools.size();
  }
}
