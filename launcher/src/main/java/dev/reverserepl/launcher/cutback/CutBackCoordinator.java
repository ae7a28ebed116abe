package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.InvalidStateTransitionException;
import dev.reverserepl.launcher.operate.PauseControl;
import dev.reverserepl.launcher.operate.PauseReport;
import dev.reverserepl.launcher.operate.ProgressSource;
import dev.reverserepl.launcher.operate.ShardConnector;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.reverse.ReverseException;
import dev.reverserepl.reverse.ReverseSettings;
import dev.reverserepl.reverse.ReverseSync;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import dev.reverserepl.reverse.binlog.BinlogServer;
import dev.reverserepl.reverse.point.CommitPoint;
import dev.reverserepl.reverse.point.CutBackPhase;
import dev.reverserepl.reverse.point.CutBackTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Commit (cut-back) and reverse for a run, behind the control API and {@code rr commit} / {@code rr
 * reverse}. It reports the run's own state until a commit starts, then the cut-back states. Rules:
 *
 * <ol>
 *   <li>Commit refuses unless write blocking recorded by {@link WriteBlocker} is in force on every
 *       shard.
 *   <li>Commit waits until {@link CommitSettle} is satisfied, pauses the writer, waits again until
 *       every shard has applied through the newest commit, records each shard's commit point
 *       (Spanner commit timestamp, binlog position and GTID) as COMMITTING, and only then lifts
 *       write blocking and marks the shards COMMITTED: MySQL never becomes writable while a change
 *       is unapplied. A commit that does not settle in time leaves everything as it was (blocked,
 *       writer running) and reports why.
 *   <li>Reverse in COMMITTED starts the MySQL → Spanner readers ({@link ReverseSync}); the
 *       direction mapping swaps.
 *   <li>Reverse in RUNNING after a reverse flips back: refused unless MySQL writes are blocked
 *       again; waits until every shard's binlog is applied, records the change-stream start
 *       timestamp (the last Spanner commit the reverse wrote) on every shard, stops the readers and
 *       resumes the forward writer.
 *   <li>Pause and resume act on the direction that runs.
 * </ol>
 */
public final class CutBackCoordinator implements PauseControl {
  private final List<Shard> shards;
  private final SessionMapping session;
  private final PauseControl forward;
  private final ProgressSource progress;
  private final WriteBlocker blocker;
  private final String writerUser;
  private final SpannerConnection spanner;
  private final ReverseSettings reverseSettings;
  private final Clock clock;
  private SyncStateMachine overlay;
  private boolean reversed;
  private ReverseSync sync;
  private final Map<String, CommitPoint> points = new LinkedHashMap<>();
  private Duration commitToCanWrite;
  private Instant flipStart;

  /**
   * {@code spanner} may be null (then reverse is refused); {@code writerUser} null means each
   * shard's user.
   */
  public CutBackCoordinator(
      List<Shard> shards,
      SessionMapping session,
      PauseControl forward,
      ProgressSource progress,
      String writerUser,
      SpannerConnection spanner,
      ReverseSettings reverseSettings,
      Clock clock) {
    this.shards = List.copyOf(shards);
    this.session = session;
    this.forward = forward;
    this.progress = progress;
    this.blocker = new WriteBlocker(session, new ShardConnector());
    this.writerUser = writerUser;
    this.spanner = spanner;
    this.reverseSettings = reverseSettings;
    this.clock = clock;
  }

  /**
   * The coordinator of a local run ({@code rr run}): Spanner from the ordering options when the run
   * reads a change stream (null for change-record input: reverse is then refused with a clear
   * error).
   */
  public static CutBackCoordinator forRun(
      List<Shard> shards,
      SessionMapping session,
      PauseControl forward,
      ProgressSource progress,
      dev.reverserepl.launcher.verify.SpannerTarget spannerOrNull) {
    return new CutBackCoordinator(
        shards,
        session,
        forward,
        progress,
        null,
        spannerOrNull == null ? null : SpannerConnection.open(spannerOrNull),
        ReverseSettings.defaults(),
        Clock.systemUTC());
  }

  @Override
  public synchronized SyncState state() {
    return overlay == null ? forward.state() : overlay.current();
  }

  public synchronized boolean reversed() {
    return reversed;
  }

  /** True when applications may write MySQL: after a commit, until a flip back. */
  public synchronized boolean canWrite() {
    SyncState s = state();
    return overlay != null && (s == SyncState.COMMITTED || reversed && s != SyncState.COMMITTING);
  }

  @Override
  public void pause() {
    ReverseSync s = activeReverse();
    if (s == null) {
      forward.pause();
      return;
    }
    overlay.require("pause", EnumSet.of(SyncState.RUNNING));
    s.pause();
    overlay.transition(SyncState.PAUSED);
  }

  @Override
  public void resume() {
    ReverseSync s = activeReverse();
    if (s == null) {
      forward.resume();
      return;
    }
    overlay.require("resume", EnumSet.of(SyncState.PAUSED));
    s.resume();
    overlay.transition(SyncState.RUNNING);
  }

  @Override
  public PauseReport pauseReport() {
    return activeReverse() == null ? forward.pauseReport() : PauseReport.NONE;
  }

  private synchronized ReverseSync activeReverse() {
    return reversed ? sync : null;
  }

  /** Rules 1 and 2; returns when COMMITTED. */
  public synchronized void commit(Duration settle, Duration timeout) throws InterruptedException {
    SyncState from = state();
    if (reversed
        || !EnumSet.of(SyncState.RUNNING, SyncState.PAUSED, SyncState.COMPLETED).contains(from)) {
      throw new InvalidStateTransitionException(
          "commit", from, EnumSet.of(SyncState.RUNNING, SyncState.PAUSED, SyncState.COMPLETED));
    }
    requireBlocked("commit");
    Instant started = clock.instant();
    overlay = new SyncStateMachine(from);
    overlay.transition(SyncState.COMMITTING);
    Instant target;
    try {
      target = awaitSettled(settle, timeout, "before pausing the writer");
      if (forward.state() == SyncState.RUNNING) {
        forward.pause();
      }
      // A writer may finish the transaction it is in after the pause flag is set.
      Thread.sleep(1000);
      target = awaitSettled(Duration.ZERO, timeout, "after pausing the writer");
    } catch (RuntimeException | InterruptedException e) {
      overlay = null;
      throw e;
    }
    try {
      recordPoints(target, CutBackPhase.COMMITTING);
      for (Shard s : shards) {
        blocker.unblock(s);
      }
      for (Shard s : shards) {
        try (Connection c = new ShardConnector().connect(s)) {
          CutBackTable.setPhase(c, s.logicalShardId(), CutBackPhase.COMMITTED, Optional.empty());
        }
        points.put(
            s.logicalShardId(), withPhase(points.get(s.logicalShardId()), CutBackPhase.COMMITTED));
      }
    } catch (SQLException e) {
      overlay.transition(SyncState.FAILED);
      throw new CutBackError(
          "ShardUnreachable",
          "commit failed half-way (every change was applied; some shards"
              + " may still be blocked — rerun rr unblock-writes): "
              + e.getMessage(),
          e);
    }
    commitToCanWrite = Duration.between(started, clock.instant());
    overlay.transition(SyncState.COMMITTED);
  }

  /** Rules 3 and 4. */
  public synchronized void reverse(Duration timeout) throws InterruptedException {
    SyncState s = state();
    if (s == SyncState.COMMITTED) {
      startReverse();
    } else if (s == SyncState.RUNNING && reversed) {
      flipBack(timeout);
    } else {
      throw new InvalidStateTransitionException(
          s == SyncState.RUNNING ? "reverse (no commit yet)" : "reverse",
          s,
          EnumSet.of(SyncState.COMMITTED, SyncState.RUNNING));
    }
  }

  private void startReverse() {
    if (spanner == null) {
      throw new CutBackError(
          "InvalidRequest", "reverse needs the Spanner database (--spanner project/instance/db)");
    }
    overlay.transition(SyncState.REVERSING);
    try {
      spanner.preparePositionTable(reverseSettings);
      sync =
          ReverseSync.start(
              shards,
              session,
              spanner.client(),
              reverseSettings.withSerializeSpannerTransactions(spanner.isEmulator()));
    } catch (ReverseException e) {
      overlay.transition(SyncState.COMMITTED);
      throw new CutBackError("ReverseFailed", e.getMessage(), e);
    }
    reversed = true;
    overlay.transition(SyncState.RUNNING);
  }

  private void flipBack(Duration timeout) throws InterruptedException {
    requireBlocked("reverse back to Spanner → MySQL");
    overlay.transition(SyncState.REVERSING);
    try {
      flipStart = sync.flipBack(timeout);
    } catch (ReverseException e) {
      overlay.transition(SyncState.RUNNING);
      throw new CutBackError("ReverseFailed", e.getMessage(), e);
    }
    reversed = false;
    if (forward.state() == SyncState.PAUSED) {
      forward.resume();
    }
    overlay.transition(SyncState.RUNNING);
  }

  private void requireBlocked(String action) {
    List<String> open = new ArrayList<>();
    for (Shard s : shards) {
      try {
        if (!blocker.isBlocked(s, writerUser)) {
          open.add(s.logicalShardId());
        }
      } catch (SQLException e) {
        open.add(s.logicalShardId() + " (unreachable: " + e.getMessage() + ")");
      }
    }
    if (!open.isEmpty()) {
      throw new CutBackError(
          "WriteBlockingNotEnabled",
          "cannot "
              + action
              + ": write blocking is not in force on "
              + String.join(", ", open)
              + "; run rr block-writes --shards F --session F first");
    }
  }

  private Instant awaitSettled(Duration settle, Duration timeout, String when)
      throws InterruptedException {
    CommitSettle check = new CommitSettle(progress, settle, clock);
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      List<String> reasons = new ArrayList<>();
      Optional<Instant> target = check.check(forward.state() == SyncState.COMPLETED, reasons);
      if (target.isPresent()) {
        return target.get();
      }
      if (clock.instant().isAfter(deadline)) {
        throw new CutBackError(
            "CommitTimeout",
            "Spanner did not settle within "
                + timeout
                + " "
                + when
                + ": "
                + String.join("; ", reasons)
                + ". Nothing was changed: MySQL stays blocked");
      }
      Thread.sleep(200);
    }
  }

  private void recordPoints(Instant target, CutBackPhase phase) throws SQLException {
    for (Shard s : shards) {
      try (Connection c = new ShardConnector().connect(s)) {
        BinlogPosition pos = BinlogServer.currentPosition(c, s);
        CommitPoint p =
            new CommitPoint(
                s.logicalShardId(), phase, target, pos, clock.instant(), Optional.empty());
        CutBackTable.write(c, p);
        points.put(s.logicalShardId(), p);
      }
    }
  }

  private static CommitPoint withPhase(CommitPoint p, CutBackPhase phase) {
    return new CommitPoint(
        p.shardId(), phase, p.spannerCommit(), p.binlog(), p.committedAt(), p.flipStart());
  }

  /** The cut-back part of the progress document. */
  public synchronized ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("canWrite", canWrite());
    o.put("direction", reversed ? "MYSQL_TO_SPANNER" : "SPANNER_TO_MYSQL");
    if (!points.isEmpty()) {
      ObjectNode cp = o.putObject("commitPoint");
      cp.put(
          "spannerCommitTimestamp", points.values().iterator().next().spannerCommit().toString());
      ObjectNode byShard = cp.putObject("shards");
      points.forEach(
          (id, p) -> {
            ObjectNode so = byShard.putObject(id);
            so.put("binlogFile", p.binlog().file());
            so.put("binlogPosition", p.binlog().position());
            so.put("gtid", p.binlog().gtid());
          });
    }
    if (commitToCanWrite != null) {
      o.put("commitToCanWriteSeconds", commitToCanWrite.toMillis() / 1000.0);
    }
    if (flipStart != null) {
      o.put("changeStreamStartTimestamp", flipStart.toString());
    }
    if (sync != null) {
      ObjectNode r = o.putObject("reverse");
      sync.status().forEach(st -> r.set(st.shardId(), st.toJson()));
    }
    return o;
  }

  /** Stops the reverse readers (on shutdown). */
  public synchronized void close() {
    if (sync != null) {
      sync.close();
    }
  }
}
