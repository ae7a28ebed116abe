package dev.reverserepl.common.envelope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-process buffer between an ordering pipeline and a writer pipeline run side by side
 * in one process (a replay without an external buffer), so that each has a worker thread of its
 * own: ordering goes on while the writer waits for MySQL.
 *
 * <ol>
 *   <li>Every envelope put is taken exactly once, in the order it was put.
 *   <li>It holds at most {@code maxChanges} changes (an envelope counts its changes, a marker 1),
 *       except that an empty buffer takes any one envelope: {@link #put} waits for room.
 *   <li>An end is never silent: after {@link #finish} the taker sees {@link #drained} once it took
 *       everything; after {@link #fail} or {@link #close} both sides get an exception instead of
 *       waiting forever.
 * </ol>
 *
 * <p>The registry is a mutable static for the same reason as the ordering flow gate: DoFns are
 * serialized copies and can reach an object of the launching process only by name.
 */
public final class EnvelopeHandOff implements AutoCloseable {
  private static final Map<String, EnvelopeHandOff> OPEN = new ConcurrentHashMap<>();

  private final String id;
  private final long maxChanges;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Envelope> queue = new ArrayDeque<>();
  private long held;
  private long peakHeld;
  private boolean finished;
  private boolean closed;
  private Throwable failure;

  private EnvelopeHandOff(String id, long maxChanges) {
    this.id = id;
    this.maxChanges = maxChanges;
  }

  public static EnvelopeHandOff open(long maxChanges) {
    if (maxChanges < 1) {
      throw new IllegalArgumentException("maxChanges must be >= 1: " + maxChanges);
    }
    EnvelopeHandOff h = new EnvelopeHandOff("handoff-" + UUID.randomUUID(), maxChanges);
    OPEN.put(h.id, h);
    return h;
  }

  /** The open hand-off of that name in this process; both pipelines must run in this process. */
  public static EnvelopeHandOff find(String id) {
    EnvelopeHandOff h = OPEN.get(id);
    if (h == null) {
      throw new IllegalStateException(
          "no envelope hand-off '"
              + id
              + "' is open in this process: both pipelines of an in-process replay run where it"
              + " was opened");
    }
    return h;
  }

  public String id() {
    return id;
  }

  private static long weight(Envelope e) {
    return Math.max(1, e.changes().size());
  }

  /** Adds an envelope once there is room (rule 2). */
  public void put(Envelope e) throws InterruptedException {
    long w = weight(e);
    lock.lock();
    try {
      while (held > 0 && held + w > maxChanges && !ended()) {
        changed.await(100, TimeUnit.MILLISECONDS);
      }
      checkOpen("put");
      if (finished) {
        throw new IllegalStateException("envelope hand-off " + id + " was already finished");
      }
      queue.addLast(e);
      held += w;
      peakHeld = Math.max(peakHeld, held);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code max} envelopes in put order, waiting at most {@code waitMillis} for the
   * first; empty when none came.
   */
  public List<Envelope> take(int max, long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    lock.lock();
    try {
      while (queue.isEmpty() && !ended()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
      checkOpen("take");
      List<Envelope> out = new ArrayList<>(Math.min(max, queue.size()));
      while (out.size() < max && !queue.isEmpty()) {
        Envelope e = queue.pollFirst();
        held -= weight(e);
        out.add(e);
      }
      if (!out.isEmpty()) {
        changed.signalAll();
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** True once the putting side finished and every envelope was taken (rule 3). */
  public boolean drained() {
    lock.lock();
    try {
      checkOpen("read");
      return finished && queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** The putting side is done: nothing more comes. */
  public void finish() {
    lock.lock();
    try {
      finished = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** One side failed: the other gets this cause instead of waiting. */
  public void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The most changes held at once. */
  public long peakHeld() {
    lock.lock();
    try {
      return peakHeld;
    } finally {
      lock.unlock();
    }
  }

  private boolean ended() {
    return closed || failure != null || finished;
  }

  private void checkOpen(String what) {
    if (failure != null) {
      throw new IllegalStateException(
          "envelope hand-off " + id + " cannot " + what + ": " + failure.getMessage(), failure);
    }
    if (closed) {
      throw new IllegalStateException("envelope hand-off " + id + " is closed");
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    OPEN.remove(id);
  }
}
