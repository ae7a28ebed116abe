package dev.reverserepl.ordering.source;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Back-pressure for a change-record replay run in this process (rule S5 of the module README).
 *
 * <p>The DirectRunner has none: the file source would read a whole file into memory before the
 * sequencer releases anything. An in-process caller opens a gate around its run; the source then
 * reads a chunk only while fewer than {@code maxInFlight} changes it read are still inside the
 * ordering stages, and every place a change leaves them (filtered, skipped, dead-lettered,
 * sequenced) releases it. If the gate is full and nothing is released for {@link #STALL_MILLIS},
 * its room doubles: a file far out of commit order, or a slice larger than the room, needs more
 * input before anything can be released, and pacing must never stall a run.
 *
 * <p>The registry is the one mutable static: DoFns are serialized copies and can reach an object of
 * the launching process only by name. A gate lives from {@link #open} to {@link #close}; on a
 * remote runner no gate of that name exists and nothing is paced.
 */
public final class FlowGate implements AutoCloseable {
  static final long STALL_MILLIS = 3_000;
  private static final Map<String, FlowGate> OPEN = new ConcurrentHashMap<>();

  private final String id;
  private final AtomicLong room;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong peakInFlight = new AtomicLong();
  private volatile long lastReleaseNanos = System.nanoTime();

  private FlowGate(String id, long maxInFlight) {
    this.id = id;
    this.room = new AtomicLong(maxInFlight);
  }

  public static FlowGate open(long maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1: " + maxInFlight);
    }
    FlowGate g = new FlowGate("gate-" + UUID.randomUUID(), maxInFlight);
    OPEN.put(g.id, g);
    return g;
  }

  /** The gate of that name in this process, or null (no id, closed, or another process). */
  static FlowGate find(String id) {
    return id == null ? null : OPEN.get(id);
  }

  /** Changes leaving the ordering stages; a no-op without an open gate of that name. */
  public static void release(String id, long changes) {
    FlowGate g = find(id);
    if (g != null && changes > 0) {
      g.released.addAndGet(changes);
      g.lastReleaseNanos = System.nanoTime();
    }
  }

  public String id() {
    return id;
  }

  /** True when the source should wait before reading more. */
  boolean full() {
    long inFlight = read.get() - released.get();
    if (inFlight < room.get()) {
      return false;
    }
    long now = System.nanoTime();
    if ((now - lastReleaseNanos) / 1_000_000L < STALL_MILLIS) {
      return true;
    }
    room.updateAndGet(r -> r > Long.MAX_VALUE / 2 ? r : r * 2);
    lastReleaseNanos = now;
    return false;
  }

  /** The room now: the opening room, doubled at every stall. */
  public long room() {
    return room.get();
  }

  void read(long changes) {
    long inFlight = read.addAndGet(changes) - released.get();
    peakInFlight.accumulateAndGet(inFlight, Math::max);
  }

  /** The most changes read and not yet released at any moment. */
  public long peakInFlight() {
    return peakInFlight.get();
  }

  /** Passes elements on and releases the changes each one accounts for. */
  public static final class ReleaseFn<T> extends DoFn<T, T> {
    private final String id;
    private final SerializableFunction<T, Long> changes;

    public ReleaseFn(String id, SerializableFunction<T, Long> changes) {
      this.id = id;
      this.changes = changes;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      out.output(element);
      release(id, changes.apply(element));
    }
  }

  @Override
  public void close() {
    OPEN.remove(id);
  }
}
