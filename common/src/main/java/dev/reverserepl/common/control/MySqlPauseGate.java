package dev.reverserepl.common.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link PauseGate} backed by a shard's {@link ControlTable}. The flag is re-read at most once
 * per {@code refresh} interval, so a pause takes effect at the first transaction boundary after at
 * most one interval, and checking it costs nothing measurable per transaction. Rules:
 *
 * <ol>
 *   <li>A missing table or row means "not paused" (the table is created on first use).
 *   <li>When the shard cannot be read the last known value stands: the writer's own transaction
 *       will meet the same outage and retry, and a flapping connection must not un-pause a paused
 *       run.
 * </ol>
 */
public final class MySqlPauseGate implements PauseGate {
  private static final Logger LOG = Logger.getLogger(MySqlPauseGate.class.getName());
  public static final Duration DEFAULT_REFRESH = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final ControlTable table;
  private final long refreshNanos;
  private final Object lock = new Object();
  private boolean tableReady;
  private boolean paused;
  private long readAtNanos;
  private boolean everRead;
  private boolean warned;

  public MySqlPauseGate(DataSource dataSource) {
    this(dataSource, new ControlTable(), DEFAULT_REFRESH);
  }

  public MySqlPauseGate(DataSource dataSource, ControlTable table, Duration refresh) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = Objects.requireNonNull(table, "table");
    if (refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must not be negative: " + refresh);
    }
    this.refreshNanos = refresh.toNanos();
  }

  @Override
  public boolean isPaused() {
    synchronized (lock) {
      long now = System.nanoTime();
      if (!everRead || now - readAtNanos >= refreshNanos) {
        refresh();
        readAtNanos = now;
        everRead = true;
      }
      return paused;
    }
  }

  @Override
  public void awaitResumed() throws InterruptedException {
    long sleepMillis = Math.max(50, refreshNanos / 1_000_000);
    while (isPaused()) {
      Thread.sleep(sleepMillis);
    }
  }

  private void refresh() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (!tableReady) {
        table.createIfMissing(c);
        tableReady = true;
      }
      paused = table.isPaused(c);
      warned = false;
    } catch (SQLException e) {
      // Once per outage: the gate is re-read every interval and must not flood the log.
      LOG.log(
          warned ? Level.FINE : Level.WARNING,
          "cannot read "
              + table.tableName()
              + "; keeping paused="
              + paused
              + ": "
              + e.getMessage());
      warned = true;
    }
  }
}
