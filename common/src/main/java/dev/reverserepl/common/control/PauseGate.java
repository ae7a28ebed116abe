package dev.reverserepl.common.control;

import java.util.Optional;

/**
 * How appliers honour a pause. Each apply transaction reads the {@link #table()} flag under a
 * shared lock in its first statement; a transaction that finds a pause rolls back before writing
 * anything and calls {@link #hold}, which acknowledges the pause and returns once it is lifted, so
 * the writer goes on from exactly where it stopped with every committed position kept.
 */
public interface PauseGate extends AutoCloseable {
  /** A gate that is never closed (no control table configured). */
  PauseGate OPEN =
      new PauseGate() {
        @Override
        public Optional<ControlTable> table() {
          return Optional.empty();
        }

        @Override
        public void hold(long pauseId) {}

        @Override
        public void applied() {}

        @Override
        public void close() {}
      };

  /** The control table the apply transactions check; empty when nothing can pause them. */
  Optional<ControlTable> table();

  /**
   * A transaction found pause {@code pauseId} in force and rolled back: acknowledge it and block
   * until it is lifted or replaced by another pause (or the thread is interrupted).
   */
  void hold(long pauseId) throws InterruptedException;

  /** A transaction committed (the shard is not idle, so there is nothing to acknowledge for it). */
  void applied();

  @Override
  void close();
}
