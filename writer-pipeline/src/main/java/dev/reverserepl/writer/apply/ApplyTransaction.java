package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.writer.retry.RetryStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One attempt of one MySQL transaction of a batch (rule 3): take the stream's progress row, drop
 * what it covers (rule 2), translate and plan the rest, run the statements, keep the dead keys
 * current, commit.
 *
 * <p>The progress row is taken without a read: the applier remembers the position it last committed
 * per stream and opens the transaction with {@link ProgressTable#advanceIfAt}, which locks the row,
 * checks that it still holds that position and writes the new one in one round trip. Only when the
 * row moved under it (first use, another writer, an unknown commit outcome) does it fall back to a
 * locking read and start over from what MySQL says.
 *
 * <p>The pause flag rides on the same statement (rule 17): its condition reads the control row
 * under a shared lock, so a paused shard updates no row and the fallback's locking read of the flag
 * says why; the transaction then rolls back before any data statement. The fallback path (rare)
 * reads the flag with its own locking read.
 */
final class ApplyTransaction {
  private final String shardId;
  private final ProgressTable progress;
  private final RetryStrategy strategy;
  private final StatementHook hook;
  private final DeadKeyBookkeeping deadKeys;
  private final ControlTable control;
  private final Map<Integer, AppliedPosition> committed = new ConcurrentHashMap<>();

  ApplyTransaction(
      String shardId,
      ProgressTable progress,
      RetryStrategy strategy,
      StatementHook hook,
      DeadKeyBookkeeping deadKeys,
      Optional<ControlTable> control) {
    this.shardId = shardId;
    this.progress = progress;
    this.strategy = strategy;
    this.hook = hook;
    this.deadKeys = deadKeys;
    this.control = control.orElse(null);
  }

  ApplyTransaction withHook(StatementHook newHook) {
    return new ApplyTransaction(
        shardId, progress, strategy, newHook, deadKeys, Optional.ofNullable(control));
  }

  /**
   * {@code finalImages}: write unique-index tables as the batch's final images (rule 5 of the
   * planner).
   */
  TxAttempt attempt(
      HeldConnection held,
      ShardEnvironment env,
      int partition,
      PreparedBatch batch,
      long published,
      DeadLetterRecorder deadLetters,
      int attemptNo,
      boolean finalImages) {
    Connection c;
    try {
      c = held.get();
    } catch (SQLException e) {
      committed.remove(partition);
      return new TxAttempt.Failed(strategy.classify(e), e);
    }
    boolean done = false;
    try {
      TxAttempt result =
          run(c, env, partition, batch, published, deadLetters, attemptNo, finalImages);
      done = true;
      if (!(result instanceof TxAttempt.Committed)) {
        held.release();
      }
      return result;
    } catch (SQLException e) {
      return new TxAttempt.Failed(strategy.classify(e), e);
    } finally {
      if (!done) {
        committed.remove(partition);
        rollbackQuietly(c);
        held.release();
      }
    }
  }

  private TxAttempt run(
      Connection c,
      ShardEnvironment env,
      int partition,
      PreparedBatch batch,
      long published,
      DeadLetterRecorder deadLetters,
      int attemptNo,
      boolean finalImages)
      throws SQLException {
    AppliedPosition cached = committed.get(partition);
    AppliedPosition current = cached != null ? cached : lockPosition(c, partition);
    Plan plan = plan(env, current, batch, published, deadLetters, attemptNo);
    if (plan.next() != null && cached != null && !advance(c, cached, plan.next())) {
      current = lockPosition(c, partition);
      plan = plan(env, current, batch, published, deadLetters, attemptNo);
      cached = null;
    }
    if (plan.next() == null) {
      c.rollback();
      return new TxAttempt.Committed(0, plan.duplicates(), 0, 0, current);
    }
    long pauseId = cached == null && control != null ? control.lockedRead(c) : 0;
    if (pauseId != 0) {
      c.rollback();
      committed.put(partition, current);
      return new TxAttempt.Paused(pauseId);
    }
    if (cached == null) {
      progress.write(c, plan.next());
    }
    BatchTranslation t = plan.translation();
    if (t != null) {
      try (StatementExecutor exec = new StatementExecutor(c)) {
        int n = 0;
        List<SqlStatement> statements =
            finalImages
                ? env.planner().planFinalImages(t.rows(), env::hasUniqueIndex)
                : plan.statements() != null
                    ? plan.statements()
                    : env.planner().plan(t.rows(), env::hasUniqueIndex);
        for (SqlStatement s : statements) {
          exec.execute(s);
          hook.afterStatement(c, ++n);
        }
      }
      deadKeys.record(c, partition, t.applied(), t.dead());
    }
    c.commit();
    committed.put(partition, plan.next());
    long applied = t == null ? 0 : t.rows().size();
    long skipped = t == null ? 0 : t.skipped();
    long dead = t == null ? 0 : t.dead().size();
    return new TxAttempt.Committed(applied, plan.duplicates(), skipped, dead, plan.next());
  }

  /**
   * What to write: {@code next == null} means nothing (every change is covered and the sequence is
   * not newer).
   */
  private record Plan(
      long duplicates,
      BatchTranslation translation,
      AppliedPosition next,
      List<SqlStatement> statements) {}

  private Plan plan(
      ShardEnvironment env,
      AppliedPosition current,
      PreparedBatch batch,
      long published,
      DeadLetterRecorder deadLetters,
      int attemptNo) {
    Deduplication d = Deduplication.of(batch.changes(), current);
    SequencedChange last = batch.get(batch.size() - 1).change();
    long through = Math.max(current.publishedThroughNanos(), published);
    if (d.fresh().isEmpty()) {
      // Rule 7: a run made only of duplicates still records its epoch and sequence, so that a
      // restarted writer
      // resumes in the new epoch instead of waiting for sequence 1 of an older one.
      if (!current.isBefore(last.epoch(), last.sequence())) {
        return new Plan(d.duplicates(), null, null, null);
      }
      return new Plan(
          d.duplicates(),
          null,
          current
              .atSequence(last.epoch(), last.sequence(), Instant.now())
              .withPublishedThroughNanos(through),
          null);
    }
    // The plan made ahead holds while the whole batch is fresh and nothing of it is dead-lettered
    // (only an earlier attempt dead-letters).
    PreparedBatch.Ahead ahead = attemptNo == 1 && d.duplicates() == 0 ? batch.ahead() : null;
    BatchTranslation t =
        ahead != null
            ? ahead.translation()
            : BatchTranslation.of(d.fresh(), deadLetters, env.schema(), attemptNo);
    SequencedChange lastFresh = d.fresh().get(d.fresh().size() - 1).change();
    AppliedPosition next =
        current
            .advancedTo(
                lastFresh.epoch(),
                lastFresh.sequence(),
                lastFresh.change().position(),
                t.rows().size(),
                Instant.now())
            .withPublishedThroughNanos(through);
    if (t.lastCompleteCommitNanos() != Long.MIN_VALUE) {
      next = next.withCompleteCommitNanos(t.lastCompleteCommitNanos());
    }
    return new Plan(d.duplicates(), t, next, ahead == null ? null : ahead.statements());
  }

  private boolean advance(Connection c, AppliedPosition from, AppliedPosition to)
      throws SQLException {
    return progress.advanceIfAt(c, from, to, control == null ? null : control.notPausedCondition());
  }

  private AppliedPosition lockPosition(Connection c, int partition) throws SQLException {
    var row = progress.read(c, shardId, partition, true);
    if (row.isEmpty()) {
      progress.insertIfMissing(c, shardId, partition);
      row = progress.read(c, shardId, partition, true);
    }
    deadKeys.probe(c, partition);
    return row.orElseThrow();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the server rolls back on disconnect.
    }
  }
}
