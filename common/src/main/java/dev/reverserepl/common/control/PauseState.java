package dev.reverserepl.common.control;

/**
 * A shard's pause as the control row tells it: {@code RUNNING} (no pause), {@code PAUSE_REQUESTED}
 * (the flag is set but no writer acknowledged this pause yet), {@code PAUSED} (a writer
 * acknowledged it: nothing more commits on the shard until a resume).
 */
public enum PauseState {
  RUNNING,
  PAUSE_REQUESTED,
  PAUSED
}
