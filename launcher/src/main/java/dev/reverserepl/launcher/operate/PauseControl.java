package dev.reverserepl.launcher.operate;

import java.time.Duration;

/**
 * Pause and resume of a run, as the control API calls them. Implementations throw {@link
 * InvalidStateTransitionException} when the run is not in the required state (RUNNING to pause,
 * PAUSED to resume) and {@link ControlException} when the pause flag cannot be set.
 */
public interface PauseControl {
  SyncState state();

  void pause();

  void resume();

  /**
   * Per shard whether a writer acknowledged the pause in force (writer rule 17); {@link
   * PauseReport#NONE} where nothing acknowledges (the reverse readers stop in {@code pause}
   * itself).
   */
  default PauseReport pauseReport() {
    return PauseReport.NONE;
  }

  /**
   * {@link #pauseReport} once every shard acknowledged, or as it stands when {@code wait} has
   * passed; at once for a zero wait.
   */
  default PauseReport awaitStopped(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    PauseReport r = pauseReport();
    while (!r.allStopped() && r != PauseReport.NONE && System.nanoTime() < deadline) {
      Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      r = pauseReport();
    }
    return r;
  }
}
