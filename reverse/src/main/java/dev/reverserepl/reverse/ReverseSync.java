package dev.reverserepl.reverse;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.reverse.apply.ReversePosition;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import dev.reverserepl.reverse.binlog.BinlogServer;
import dev.reverserepl.reverse.point.CommitPoint;
import dev.reverserepl.reverse.point.CutBackPhase;
import dev.reverserepl.reverse.point.CutBackTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reverse direction for a set of shards in this process: one {@link ReverseShardRunner} thread
 * per shard (run one process per shard at scale by giving each its own one-shard list). Rules:
 *
 * <ol>
 *   <li>{@link #start} refuses, before any reader starts, unless every shard's cut-back record is
 *       COMMITTED or REVERSING (each shard's binlog is checked by its reader).
 *   <li>{@link #flipBack} waits until every shard's stored position has reached the shard's binlog
 *       end as it was when called (the caller blocks MySQL writes first), then sets every shard to
 *       FORWARD with the change-stream start timestamp it returns: the newest Spanner commit the
 *       reverse wrote (the commit point when it wrote none), under the records' exclusive locks, so
 *       no reader writes to Spanner after it ({@link ReverseShardRunner} rule 5). The readers see
 *       the phase and stop.
 * </ol>
 */
public final class ReverseSync implements AutoCloseable {
  private final List<Shard> shards;
  private final DatabaseClient db;
  private final ReversePositionTable positions;
  private final Map<String, ReverseShardRunner> runners = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();

  private ReverseSync(List<Shard> shards, DatabaseClient db, ReverseSettings settings) {
    this.shards = List.copyOf(shards);
    this.db = db;
    this.positions = new ReversePositionTable(settings.positionTable());
  }

  /**
   * Checks every shard's phase, then starts one reader thread per shard. The position table must
   * exist.
   */
  public static ReverseSync start(
      List<Shard> shards, SessionMapping session, DatabaseClient db, ReverseSettings settings) {
    for (Shard s : shards) {
      CutBackPhase phase = point(s).map(CommitPoint::phase).orElse(null);
      if (phase != CutBackPhase.COMMITTED && phase != CutBackPhase.REVERSING) {
        throw new ReverseException(
            "cannot reverse: "
                + BinlogServer.where(s)
                + " is in cut-back state "
                + (phase == null ? "none (never committed)" : phase)
                + ", required COMMITTED");
      }
    }
    ReverseSync sync = new ReverseSync(shards, db, settings);
    for (int i = 0; i < shards.size(); i++) {
      Shard s = shards.get(i);
      ReverseShardRunner r = new ReverseShardRunner(s, session, db, settings, i);
      sync.runners.put(s.logicalShardId(), r);
      Thread t =
          new Thread(
              () -> {
                try {
                  r.run();
                } catch (ReverseException e) {
                  System.err.println(
                      "reverse " + s.logicalShardId() + " stopped: " + e.getMessage());
                }
              },
              "reverse-" + s.logicalShardId());
      t.setDaemon(true);
      sync.threads.add(t);
      t.start();
    }
    return sync;
  }

  public List<ReverseShardStatus> status() {
    return runners.values().stream().map(ReverseShardRunner::status).toList();
  }

  public void pause() {
    runners.values().forEach(ReverseShardRunner::pause);
  }

  public void resume() {
    runners.values().forEach(ReverseShardRunner::resume);
  }

  /** True while any reader thread runs. */
  public boolean running() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  /** Blocks until every reader has stopped (a flip back, {@link #close()} or failures). */
  public void awaitStopped() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }

  /** The Spanner positions of every shard this sync runs. */
  public List<ReversePosition> positions() {
    List<ReversePosition> out = new ArrayList<>();
    for (ReversePosition p : positions.readAll(db.singleUse())) {
      if (runners.containsKey(p.shardId())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Rule 2 for the readers of this process; returns the change-stream start timestamp for Spanner →
   * MySQL.
   */
  public Instant flipBack(Duration timeout) throws InterruptedException {
    for (ReverseShardRunner r : runners.values()) {
      r.status()
          .error()
          .ifPresent(
              e -> {
                throw new ReverseException("shard " + r.shardId() + " failed: " + e);
              });
    }
    Instant start = flipBack(shards, db, positions, timeout);
    awaitStopped();
    return start;
  }

  /**
   * Rule 2 from any process (the readers may run elsewhere): waits until Spanner's stored position
   * of every shard has reached the shard's binlog end as of now, then records the flip back on
   * every shard.
   */
  public static Instant flipBack(
      List<Shard> shards, DatabaseClient db, ReversePositionTable positions, Duration timeout)
      throws InterruptedException {
    Map<String, BinlogPosition> ends = new LinkedHashMap<>();
    for (Shard s : shards) {
      try (Connection c = ShardJdbc.connect(s)) {
        ends.put(s.logicalShardId(), BinlogServer.currentPosition(c, s));
      } catch (SQLException e) {
        throw new ReverseException(BinlogServer.where(s) + ": " + e.getMessage(), e);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, ReversePosition> stored;
    while (true) {
      stored = new LinkedHashMap<>();
      for (ReversePosition p : positions.readAll(db.singleUse())) {
        stored.put(p.shardId(), p);
      }
      List<String> behind = new ArrayList<>();
      for (Map.Entry<String, BinlogPosition> e : ends.entrySet()) {
        ReversePosition p = stored.get(e.getKey());
        if (p == null || e.getValue().isAfter(p.applied())) {
          behind.add(
              e.getKey()
                  + " applied through "
                  + (p == null ? "nothing" : p.applied().toString())
                  + ", binlog end "
                  + e.getValue());
        }
      }
      if (behind.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new ReverseException(
            "the reverse direction did not catch up within " + timeout + ": " + behind);
      }
      Thread.sleep(50);
    }
    return recordFlip(shards, db, positions);
  }

  // Each shard's cut-back record under an exclusive lock: waits for the reader's Spanner write in
  // flight, and no reader writes again (ReverseShardRunner rule 5), so the start computed now
  // covers every commit of the reverse.
  private static Instant recordFlip(
      List<Shard> shards, DatabaseClient db, ReversePositionTable positions) {
    Instant commitPoint = null;
    for (Shard s : shards) {
      Instant commit = point(s).orElseThrow().spannerCommit();
      commitPoint = commitPoint == null || commit.isAfter(commitPoint) ? commit : commitPoint;
    }
    List<Connection> fences = new ArrayList<>();
    try {
      for (Shard s : shards) {
        Connection c = ShardJdbc.connect(s);
        fences.add(c);
        c.setAutoCommit(false);
        CutBackTable.lockedPhase(c, s.logicalShardId(), true);
      }
      Instant start = startTimestamp(shards, db, positions).orElse(commitPoint);
      for (int i = 0; i < shards.size(); i++) {
        CutBackTable.setPhase(
            fences.get(i),
            shards.get(i).logicalShardId(),
            CutBackPhase.FORWARD,
            Optional.of(start));
      }
      for (Connection c : fences) {
        c.commit();
      }
      return start;
    } catch (SQLException e) {
      throw new ReverseException("cannot record the flip back: " + e.getMessage(), e);
    } finally {
      for (Connection c : fences) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // An uncommitted fence rolls back on close; the flip is then not recorded there.
        }
      }
    }
  }

  // The newest Spanner commit the reverse wrote; empty when it wrote none.
  private static Optional<Instant> startTimestamp(
      List<Shard> shards, DatabaseClient db, ReversePositionTable positions) {
    Map<String, ReversePosition> stored = new LinkedHashMap<>();
    for (ReversePosition p : positions.readAll(db.singleUse())) {
      stored.put(p.shardId(), p);
    }
    Instant start = null;
    for (Shard s : shards) {
      ReversePosition p = stored.get(s.logicalShardId());
      Optional<Instant> t =
          p.appliedTransactions() > 0
              ? p.spannerCommitTimestamp().map(ReverseSync::instant)
              : Optional.empty();
      if (t.isPresent() && (start == null || t.get().isAfter(start))) {
        start = t.get();
      }
    }
    return Optional.ofNullable(start);
  }

  @Override
  public void close() {
    runners.values().forEach(ReverseShardRunner::stop);
    for (Thread t : threads) {
      try {
        t.join(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static Optional<CommitPoint> point(Shard s) {
    try (Connection c = ShardJdbc.connect(s)) {
      return CutBackTable.read(c, s.logicalShardId());
    } catch (SQLException e) {
      throw new ReverseException(
          BinlogServer.where(s) + ": cannot read the cut-back record: " + e.getMessage(), e);
    }
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
