package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The sequencer's slices as event-time windows. A change falls in the {@code bucketMillis} interval
 * of its commit time (not of its element timestamp, so the slice never depends on how an upstream
 * stage stamped it); a tick in the interval of its timestamp; a {@link SliceNumber} in exactly the
 * interval it numbers, whatever the bucket width of the job that made it — so a number always meets
 * its own slice in the join, even across an update that changed {@code sequencerBucketMillis}.
 */
public final class SliceWindows extends NonMergingWindowFn<Object, IntervalWindow> {
  private final long bucketMillis;

  private SliceWindows(long bucketMillis) {
    if (bucketMillis < 1) {
      throw new IllegalArgumentException("bucketMillis must be >= 1: " + bucketMillis);
    }
    this.bucketMillis = bucketMillis;
  }

  public static SliceWindows of(long bucketMillis) {
    return new SliceWindows(bucketMillis);
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    Object value = c.element() instanceof KV<?, ?> kv ? kv.getValue() : c.element();
    if (value instanceof SliceNumber n) {
      return List.of(
          new IntervalWindow(
              new Instant(n.slice().startMillis()), new Instant(n.slice().endMillis())));
    }
    long millis;
    if (value instanceof SequencerInput in && !in.isTick()) {
      millis = commitMillis(in.change());
    } else if (value instanceof SequencerInput) {
      millis = c.timestamp().getMillis();
    } else {
      throw new IllegalArgumentException("not a sequencer element: " + value);
    }
    long start = Math.floorDiv(millis, bucketMillis) * bucketMillis;
    return List.of(new IntervalWindow(new Instant(start), new Instant(start + bucketMillis)));
  }

  static long commitMillis(Change c) {
    return Math.floorDiv(c.position().commitNanos(), 1_000_000L);
  }

  /** Windows are explicit intervals, so windows of any bucket width group together correctly. */
  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof SliceWindows;
  }

  @Override
  public void verifyCompatibility(WindowFn<?, ?> other)
      throws org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException {
    if (!isCompatible(other)) {
      throw new org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException(
          other, "only SliceWindows join slices");
    }
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("slices are not used as side inputs");
  }

  @Override
  public boolean assignsToOneWindow() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceWindows w && w.bucketMillis == bucketMillis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bucketMillis);
  }
}
