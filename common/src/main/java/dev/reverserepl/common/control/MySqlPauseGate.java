package dev.reverserepl.common.control;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link PauseGate} backed by a shard's {@link ControlTable}. Rules:
 *
 * <ol>
 *   <li>The apply transactions themselves check the flag under lock; the gate only acknowledges and
 *       waits, so no cached value can let a transaction through.
 *   <li>A waiting writer acknowledges the pause id it saw at once, and polls every {@code poll}
 *       until the pause is lifted or replaced (then its next transaction checks again).
 *   <li>An idle writer (no transaction committed for a whole {@code watch} interval) reads the row
 *       once per interval and acknowledges a pending pause too: its next transaction would see the
 *       flag under lock, so it is as stopped as a waiting one. A writer busy applying is never
 *       polled.
 *   <li>When the shard cannot be read the pause stands: the next transaction checks again.
 * </ol>
 */
public final class MySqlPauseGate implements PauseGate {
  private static final Logger LOG = Logger.getLogger(MySqlPauseGate.class.getName());
  public static final Duration DEFAULT_POLL = Duration.ofMillis(250);
  public static final Duration DEFAULT_WATCH = Duration.ofSeconds(1);
  // Never paused and never applied to: nothing to acknowledge.
  private static final int NO_SUCH_TABLE = 1146;

  private final DataSource dataSource;
  private final ControlTable table;
  private final long pollMillis;
  private final long watchNanos;
  private final String writerId;
  private final ScheduledExecutorService watcher;
  private volatile long appliedAtNanos = System.nanoTime();
  private volatile boolean warned;

  /** A gate whose watcher starts now; {@link #close()} stops it. */
  public MySqlPauseGate(DataSource dataSource) {
    this(dataSource, new ControlTable(), DEFAULT_POLL, DEFAULT_WATCH);
  }

  public MySqlPauseGate(DataSource dataSource, ControlTable table, Duration poll, Duration watch) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = Objects.requireNonNull(table, "table");
    if (poll.isNegative() || poll.isZero() || watch.isNegative() || watch.isZero()) {
      throw new IllegalArgumentException("poll and watch must be positive: " + poll + ", " + watch);
    }
    this.pollMillis = poll.toMillis();
    this.watchNanos = watch.toNanos();
    this.writerId = "rr-writer " + ManagementFactory.getRuntimeMXBean().getName();
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rr-pause-watch");
              t.setDaemon(true);
              return t;
            });
    watcher.scheduleWithFixedDelay(
        this::watchIdle, watch.toMillis(), watch.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<ControlTable> table() {
    return Optional.of(table);
  }

  @Override
  public void applied() {
    appliedAtNanos = System.nanoTime();
  }

  @Override
  public void hold(long pauseId) throws InterruptedException {
    boolean acknowledged = false;
    while (true) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        if (!acknowledged) {
          acknowledged = table.acknowledge(c, pauseId, Instant.now(), writerId);
        }
        var row = table.read(c);
        if (row.isEmpty() || !row.get().paused() || row.get().pauseId() != pauseId) {
          return;
        }
        warned = false;
      } catch (SQLException e) {
        warnOnce(e);
      }
      Thread.sleep(pollMillis);
    }
  }

  // Rule 3.
  private void watchIdle() {
    if (System.nanoTime() - appliedAtNanos < watchNanos) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      var row = table.read(c);
      if (row.isPresent() && row.get().state() == PauseState.PAUSE_REQUESTED) {
        table.acknowledge(c, row.get().pauseId(), Instant.now(), writerId);
      }
      warned = false;
    } catch (SQLException e) {
      if (e.getErrorCode() != NO_SUCH_TABLE) {
        warnOnce(e);
      }
    } catch (RuntimeException e) {
      // The watcher must outlive any surprise; the next tick tries again.
      LOG.log(Level.WARNING, "pause watcher: " + e, e);
    }
  }

  // Once per outage: the row is polled and must not flood the log.
  private void warnOnce(SQLException e) {
    LOG.log(
        warned ? Level.FINE : Level.WARNING,
        "cannot read " + table.tableName() + "; the pause stands: " + e.getMessage());
    warned = true;
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
