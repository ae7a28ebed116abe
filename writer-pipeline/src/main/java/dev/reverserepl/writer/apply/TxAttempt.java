package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.retry.FailureKind;
import java.sql.SQLException;

/** The typed outcome of one attempt of one MySQL transaction. */
sealed interface TxAttempt {
  /**
   * Committed (or nothing left to do): how many changes were applied, already present, not
   * replicated, dead-lettered.
   */
  record Committed(
      long applied, long duplicates, long skipped, long deadLettered, AppliedPosition position)
      implements TxAttempt {}

  /** Rolled back before writing anything: pause {@code pauseId} is in force on the shard. */
  record Paused(long pauseId) implements TxAttempt {}

  /** Rolled back; {@code kind} says whether to retry. */
  record Failed(FailureKind kind, SQLException error) implements TxAttempt {}
}
