package dev.reverserepl.launcher.operate;

/**
 * Pause and resume of a run, as the control API calls them. Implementations throw {@link
 * InvalidStateTransitionException} when the run is not in the required state (RUNNING to pause,
 * PAUSED to resume) and {@link ControlException} when the pause flag cannot be set.
 */
public interface PauseControl {
  SyncState state();

  void pause();

  void resume();
}
