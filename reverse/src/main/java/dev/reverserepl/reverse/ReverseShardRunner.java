package dev.reverserepl.reverse;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Mutation;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.reverse.apply.PreparedTransaction;
import dev.reverserepl.reverse.apply.ReverseDeadLetters;
import dev.reverserepl.reverse.apply.ReversePosition;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import dev.reverserepl.reverse.apply.SpannerApplier;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import dev.reverserepl.reverse.binlog.BinlogServer;
import dev.reverserepl.reverse.binlog.BinlogStream;
import dev.reverserepl.reverse.binlog.BinlogTransaction;
import dev.reverserepl.reverse.binlog.RowEvent;
import dev.reverserepl.reverse.point.CommitPoint;
import dev.reverserepl.reverse.point.CutBackPhase;
import dev.reverserepl.reverse.point.CutBackTable;
import dev.reverserepl.reverse.translate.ReverseTranslator;
import dev.reverserepl.reverse.translate.RowFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reverse direction for one shard: its binlog from the stored position (first run: the commit
 * point) through {@link ReverseTranslator} into {@link SpannerApplier}, until {@link #stop()}, a
 * flip back (the shard's phase leaves REVERSING) or a failure. Rules:
 *
 * <ol>
 *   <li>It starts only when the shard's cut-back record is COMMITTED or REVERSING (a restart), and
 *       moves COMMITTED to REVERSING; anything else is a {@link ReverseException} naming the shard
 *       and its phase.
 *   <li>Reading resumes at the position stored in Spanner, which is never before the commit point;
 *       a binlog that is not ROW/FULL or whose file was purged is refused before anything is read.
 *   <li>Source transactions are applied in binlog (commit) order; memory holds at most {@link
 *       ReverseSettings#queueCapacity()} of them.
 *   <li>While paused, nothing is written; the position stays, and resume continues from it.
 *   <li>Every Spanner write holds a shared lock on the shard's cut-back record and happens only in
 *       phase REVERSING: a flip back, which takes that record's exclusive lock, waits for the write
 *       in flight, and after it nothing more reaches Spanner, however late the reader's own phase
 *       poll comes (the forward writer's changes must not loop back).
 * </ol>
 */
public final class ReverseShardRunner {
  private final Shard shard;
  private final DatabaseClient spanner;
  private final ReverseSettings settings;
  private final ReverseTranslator translator;
  private final ReversePositionTable positions;
  private final SpannerApplier applier;
  private final long serverId;
  private final AtomicReference<ReverseShardStatus> status;
  private volatile boolean stopped;
  private volatile boolean paused;
  private volatile BinlogStream stream;

  public ReverseShardRunner(
      Shard shard,
      SessionMapping session,
      DatabaseClient spanner,
      ReverseSettings settings,
      int shardIndex) {
    this.shard = shard;
    this.spanner = spanner;
    this.settings = settings;
    this.translator =
        new ReverseTranslator(session, shard.logicalShardId(), settings.sourceOffset());
    this.positions = new ReversePositionTable(settings.positionTable());
    this.applier =
        new SpannerApplier(
            spanner,
            positions,
            shard.logicalShardId(),
            new ReverseDeadLetters(settings.deadLetterDirectory()),
            settings.serializeSpannerTransactions());
    this.serverId = settings.serverIdBase() + shardIndex;
    this.status = new AtomicReference<>(ReverseShardStatus.starting(shard.logicalShardId()));
  }

  public String shardId() {
    return shard.logicalShardId();
  }

  public ReverseShardStatus status() {
    return status.get();
  }

  public void pause() {
    paused = true;
    update(s -> with(s, s.state(), true, s.error()));
  }

  public void resume() {
    paused = false;
    update(s -> with(s, s.state(), false, s.error()));
  }

  public void stop() {
    stopped = true;
    BinlogStream s = stream;
    if (s != null) {
      s.stop();
    }
  }

  /** Runs until stopped, flipped back or failed (then throws); blocks the calling thread. */
  public void run() {
    try (Connection control = ShardJdbc.connect(shard);
        Connection metadata = ShardJdbc.connect(shard)) {
      BinlogPosition from = start(control);
      BlockingQueue<BinlogTransaction> queue = new ArrayBlockingQueue<>(settings.queueCapacity());
      BinlogStream s =
          new BinlogStream(shard, metadata, translator.sourceTables(), from, serverId, queue::put);
      stream = s;
      AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  s.run();
                } catch (RuntimeException e) {
                  readFailure.set(e);
                }
              },
              "binlog-" + shard.logicalShardId());
      reader.setDaemon(true);
      update(st -> with(st, "RUNNING", paused, Optional.empty()));
      reader.start();
      loop(control, queue, reader, readFailure);
      s.stop();
      reader.join(10_000);
      update(st -> with(st, "STOPPED", paused, st.error()));
    } catch (SQLException e) {
      throw fail(new ReverseException(BinlogServer.where(shard) + ": " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private BinlogPosition start(Connection control) throws SQLException {
    Optional<CommitPoint> point = CutBackTable.read(control, shard.logicalShardId());
    CutBackPhase phase = point.map(CommitPoint::phase).orElse(null);
    if (phase != CutBackPhase.COMMITTED && phase != CutBackPhase.REVERSING) {
      throw new ReverseException(
          BinlogServer.where(shard)
              + ": reverse requires state COMMITTED (a finished"
              + " rr commit); the shard's cut-back state is "
              + (phase == null ? "none (never committed)" : phase));
    }
    applier.initialise(point.get().binlog());
    ReversePosition stored =
        positions.read(spanner.singleUse(), shard.logicalShardId()).orElseThrow();
    BinlogPosition from =
        stored.applied().isAfter(point.get().binlog()) ? stored.applied() : point.get().binlog();
    BinlogServer.requireReadableFrom(control, shard, from);
    if (phase == CutBackPhase.COMMITTED) {
      CutBackTable.setPhase(
          control, shard.logicalShardId(), CutBackPhase.REVERSING, Optional.empty());
    }
    update(
        s ->
            new ReverseShardStatus(
                s.shardId(),
                "STARTING",
                Optional.of(from),
                stored.sourceCommittedAt().map(t -> t.toSqlTimestamp().toInstant()),
                0,
                0,
                0,
                0,
                paused,
                Optional.empty()));
    return from;
  }

  private void loop(
      Connection control,
      BlockingQueue<BinlogTransaction> queue,
      Thread reader,
      AtomicReference<RuntimeException> readFailure)
      throws InterruptedException, SQLException {
    long nextPhaseCheck = 0;
    while (!stopped) {
      if (readFailure.get() != null) {
        throw readFailure.get();
      }
      if (!reader.isAlive() && queue.isEmpty()) {
        throw new ReverseException(BinlogServer.where(shard) + ": the binlog connection closed");
      }
      if (System.nanoTime() >= nextPhaseCheck) {
        Optional<CommitPoint> p = CutBackTable.read(control, shard.logicalShardId());
        if (p.isEmpty() || p.get().phase() != CutBackPhase.REVERSING) {
          return;
        }
        nextPhaseCheck = System.nanoTime() + settings.phasePollInterval().toNanos();
      }
      if (paused) {
        Thread.sleep(100);
        continue;
      }
      BinlogTransaction first = queue.poll(200, TimeUnit.MILLISECONDS);
      if (first != null && !applyBatch(control, first, queue)) {
        return;
      }
    }
  }

  /** Returns false, writing nothing, once the shard has left REVERSING (rule 5). */
  private boolean applyBatch(
      Connection control, BinlogTransaction first, BlockingQueue<BinlogTransaction> queue)
      throws SQLException {
    List<PreparedTransaction> batch = new ArrayList<>();
    int mutations = 0;
    BinlogTransaction next = first;
    while (next != null) {
      PreparedTransaction p = prepare(next);
      batch.add(p);
      mutations += p.mutations().size();
      BinlogTransaction peek = queue.peek();
      if (peek == null
          || batch.size() >= settings.maxBatchTransactions()
          || mutations + peek.rows().size() > settings.maxBatchMutations()) {
        break;
      }
      next = queue.poll();
    }
    Optional<SpannerApplier.Result> applied = applyFenced(control, batch);
    if (applied.isEmpty()) {
      return false;
    }
    SpannerApplier.Result r = applied.get();
    update(
        s ->
            new ReverseShardStatus(
                s.shardId(),
                s.state(),
                r.position().map(ReversePosition::applied).or(s::applied),
                r.position()
                    .flatMap(ReversePosition::sourceCommittedAt)
                    .map(t -> t.toSqlTimestamp().toInstant())
                    .or(s::lastSourceCommit),
                s.transactions() + r.transactions(),
                s.rows() + r.rows(),
                s.duplicatesSkipped() + r.duplicates(),
                s.deadLettered() + r.deadLettered(),
                paused,
                s.error()));
    return true;
  }

  private Optional<SpannerApplier.Result> applyFenced(
      Connection control, List<PreparedTransaction> batch) throws SQLException {
    control.setAutoCommit(false);
    try {
      Optional<CutBackPhase> phase =
          CutBackTable.lockedPhase(control, shard.logicalShardId(), false);
      if (phase.orElse(null) != CutBackPhase.REVERSING) {
        return Optional.empty();
      }
      return Optional.of(applyWithRetry(batch));
    } finally {
      // Ends the transaction either way: the lock only guards the Spanner write.
      control.rollback();
      control.setAutoCommit(true);
    }
  }

  /**
   * Spanner errors that are not about the data (contention, a lost transaction, unavailability) are
   * retried with back-off; retrying is safe because every batch re-checks the stored position.
   */
  private SpannerApplier.Result applyWithRetry(List<PreparedTransaction> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return applier.apply(batch);
      } catch (com.google.cloud.spanner.SpannerException e) {
        if (attempt >= 10 || stopped) {
          throw e;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private PreparedTransaction prepare(BinlogTransaction tx) {
    List<Mutation> ms = new ArrayList<>();
    List<PreparedTransaction.DeadRow> dead = new ArrayList<>();
    long rows = 0;
    for (RowEvent row : tx.rows()) {
      try {
        ms.addAll(translator.translate(row));
        rows++;
      } catch (RowFailure e) {
        dead.add(
            new PreparedTransaction.DeadRow(
                row.table().name(),
                row.kind().name(),
                "before="
                    + Arrays.toString(row.before())
                    + " after="
                    + Arrays.toString(row.after()),
                e.getMessage()));
      }
    }
    return new PreparedTransaction(tx, ms, rows, dead);
  }

  private ReverseException fail(RuntimeException e) {
    ReverseException r =
        e instanceof ReverseException re
            ? re
            : new ReverseException(BinlogServer.where(shard) + ": " + e.getMessage(), e);
    update(s -> with(s, "FAILED", paused, Optional.of(r.getMessage())));
    return r;
  }

  private void update(java.util.function.UnaryOperator<ReverseShardStatus> f) {
    status.updateAndGet(f);
  }

  private static ReverseShardStatus with(
      ReverseShardStatus s, String state, boolean paused, Optional<String> error) {
    return new ReverseShardStatus(
        s.shardId(),
        state,
        s.applied(),
        s.lastSourceCommit(),
        s.transactions(),
        s.rows(),
        s.duplicatesSkipped(),
        s.deadLettered(),
        paused,
        error);
  }
}
