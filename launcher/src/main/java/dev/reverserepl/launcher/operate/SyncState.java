package dev.reverserepl.launcher.operate;

/**
 * The life cycle of a run started by {@code rr} (local, replay, run). See {@link SyncStateMachine}
 * for the allowed transitions and the launcher README ("Operating a run") for what each state means
 * to an operator.
 */
public enum SyncState {
  /** Nothing started yet. */
  IDLE,
  /** Pipelines are being built and endpoints checked; nothing is applied yet. */
  STARTING,
  /** Changes are being applied. */
  RUNNING,
  /**
   * Applying is stopped at a transaction boundary; positions are kept and a resume continues from
   * them.
   */
  PAUSED,
  /** A bounded run (local, replay) applied all its input. */
  COMPLETED,
  /** The run stopped with an error; positions in MySQL show how far it got. */
  FAILED,
  /**
   * A commit (cut-back) waits for Spanner to settle and every shard to apply through its newest
   * commit.
   */
  COMMITTING,
  /** The commit point is recorded, the writer stopped and MySQL writable ({@code canWrite}). */
  COMMITTED,
  /** The direction is being swapped (MySQL → Spanner after a commit, or back again). */
  REVERSING
}
