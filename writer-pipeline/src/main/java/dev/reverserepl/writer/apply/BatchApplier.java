package dev.reverserepl.writer.apply;

import dev.reverserepl.common.control.PauseGate;
import dev.reverserepl.writer.retry.FailureKind;
import dev.reverserepl.writer.retry.Retrier;
import dev.reverserepl.writer.retry.RetryConfig;
import dev.reverserepl.writer.retry.ShardFaultBackoff;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * Applies one batch until it is committed, deciding by whose fault each failed attempt is (rules 4,
 * 5, 8):
 *
 * <ul>
 *   <li>the shard's: wait with capped backoff and try again, for as long as it takes ({@link
 *       ShardHealth});
 *   <li>the change's: re-run the batch change by change, dead-letter the single failing change and
 *       record the position past it;
 *   <li>a unique conflict: first, when the batch ends at a Spanner transaction boundary, write its
 *       unique-index rows as their final images once (values swapped between rows inside one
 *       Spanner transaction); then isolate the change as above, retry it within the retry budget (a
 *       later change may free the value — for instance once an operator fixed a pre-existing row),
 *       then dead-letter it with both keys.
 * </ul>
 *
 * A transaction that finds the shard paused wrote nothing; the batch waits in {@link
 * PauseGate#hold} and is tried again once the pause is lifted (rule 17).
 */
final class BatchApplier {
  private final String shardId;
  private final DataSource dataSource;
  private final ApplyTransaction transaction;
  private final RetryConfig retry;
  private final PauseGate pauseGate;
  private final ShardHealth health;

  BatchApplier(
      String shardId,
      DataSource dataSource,
      ApplyTransaction transaction,
      RetryConfig retry,
      PauseGate pauseGate,
      ShardHealth health) {
    this.shardId = shardId;
    this.dataSource = dataSource;
    this.transaction = transaction;
    this.retry = retry;
    this.pauseGate = pauseGate;
    this.health = health;
  }

  void apply(
      HeldConnection held,
      ShardEnvironment env,
      int partition,
      PreparedBatch batch,
      long published,
      ApplyReport.Builder report,
      DeadLetterRecorder deadLetters,
      boolean isolate) {
    ShardFaultBackoff shardWait = new ShardFaultBackoff(retry);
    Retrier conflictBudget = null;
    boolean finalImages = false;
    int attempts = 0;
    while (true) {
      TxAttempt attempt =
          transaction.attempt(
              held, env, partition, batch, published, deadLetters, attempts + 1, finalImages);
      if (attempt instanceof TxAttempt.Paused p) {
        hold(p.pauseId());
        continue;
      }
      attempts++;
      if (attempt instanceof TxAttempt.Committed c) {
        if (health.blocked(partition)) {
          // Clearing the blocked status takes a connection of its own.
          held.release();
        }
        pauseGate.applied();
        health.succeeded(partition);
        report.add(c);
        return;
      }
      TxAttempt.Failed f = (TxAttempt.Failed) attempt;
      if (f.kind() == FailureKind.SHARD) {
        report.retries++;
        Duration wait = shardWait.next();
        health.failed(partition, f.error(), shardWait.attempts(), wait);
        sleep(wait);
        continue;
      }
      shardWait.reset();
      if (f.kind() == FailureKind.UNIQUE_CONFLICT
          && !finalImages
          && batch.size() > 1
          && batch.get(batch.size() - 1).change().endOfTransaction()) {
        finalImages = true;
        report.retries++;
        continue;
      }
      if (isolate && batch.size() > 1) {
        for (PreparedChange p : batch.changes()) {
          apply(
              held,
              env,
              partition,
              PreparedBatch.of(List.of(p)),
              published,
              report,
              deadLetters,
              false);
        }
        return;
      }
      PreparedChange p = batch.get(0);
      if (deadLetters.isDead(p)) {
        throw new IllegalStateException(
            "shard "
                + shardId
                + ": cannot record the position past a dead-lettered"
                + " change: "
                + ShardApplier.describe(f.error()),
            f.error());
      }
      if (f.kind() == FailureKind.UNIQUE_CONFLICT) {
        if (conflictBudget == null) {
          conflictBudget = new Retrier(retry);
        }
        conflictBudget.attempted();
        if (backOff(conflictBudget)) {
          report.retries++;
          continue;
        }
        deadLetters.deadLetter(
            p, UniqueConflicts.describe(dataSource, env.schema(), p, f.error()), attempts);
      } else {
        deadLetters.deadLetter(p, "apply failed: " + ShardApplier.describe(f.error()), attempts);
      }
    }
  }

  // Paused: stop at this transaction boundary; every committed position stays as it is.
  private void hold(long pauseId) {
    try {
      pauseGate.hold(pauseId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("shard " + shardId + ": interrupted while paused", e);
    }
  }

  private boolean backOff(Retrier r) {
    try {
      return r.backOff();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("shard " + shardId + ": interrupted while retrying", e);
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "shard " + shardId + ": interrupted while the shard is blocked", e);
    }
  }
}
