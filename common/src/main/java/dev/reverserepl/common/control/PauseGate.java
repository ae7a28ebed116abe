package dev.reverserepl.common.control;

/**
 * Whether appliers may start their next transaction. The writer calls {@link #awaitResumed()}
 * before each transaction, so a pause stops applying at a transaction boundary and keeps every
 * committed position; resuming lets the same call return and the writer goes on from exactly where
 * it stopped.
 */
public interface PauseGate {
  /** A gate that is never closed (no control table configured). */
  PauseGate OPEN =
      new PauseGate() {
        @Override
        public boolean isPaused() {
          return false;
        }

        @Override
        public void awaitResumed() {}
      };

  boolean isPaused();

  /**
   * Returns at once when not paused; otherwise blocks until resumed (or the thread is interrupted).
   */
  void awaitResumed() throws InterruptedException;
}
