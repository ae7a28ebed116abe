package dev.reverserepl.reverse.point;

/** Where a shard is in the cut-back, as recorded on the shard itself (table {@code rr_cutback}). */
public enum CutBackPhase {
  /** The commit has started: the forward writer is paused, MySQL still blocked. */
  COMMITTING,
  /**
   * The commit point is recorded and MySQL is writable; the reverse direction may start from it.
   */
  COMMITTED,
  /** MySQL → Spanner readers apply this shard's binlog from the commit point. */
  REVERSING,
  /**
   * Flipped back: Spanner → MySQL again from {@code flipStartTimestamp}; the readers have stopped.
   */
  FORWARD
}
