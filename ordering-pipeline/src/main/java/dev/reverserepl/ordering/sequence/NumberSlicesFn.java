package dev.reverserepl.ordering.sequence;

import dev.reverserepl.ordering.OrderingMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per {@code shard#partition} key, in the global window: gives each closed slice (its change count,
 * never its changes) the key's next sequence numbers, in commit-time order.
 *
 * <p>State is Runner v2's kinds only: the key's {@link KeyProgress} in a {@code ValueState}, slices
 * that arrived before the watermark proved every earlier slice complete in a {@code BagState}, and
 * one event-time timer whose output timestamp holds the watermark at the earliest waiting slice (so
 * each number reaches the join in its slice's window before that window closes). The timer fires at
 * the latest waiting slice: one firing numbers everything that waited, so catch-up over N slices
 * costs O(N) state reads.
 */
public final class NumberSlicesFn extends DoFn<KV<String, SliceCount>, KV<String, SliceNumber>> {
  private static final Logger LOG = LoggerFactory.getLogger(NumberSlicesFn.class);

  private final long launchEpoch;

  private final Counter late =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.LATE_CHANGES);
  private final Counter slicesRead =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.SLICE_STATE_READS);

  @StateId("progress")
  private final StateSpec<ValueState<KeyProgress>> progressSpec =
      StateSpecs.value(KeyProgress.Coder.of());

  @StateId("waiting")
  private final StateSpec<BagState<SliceCount>> waitingSpec = StateSpecs.bag(SliceCount.Coder.of());

  /** Firing time and watermark hold of the armed timer, absent when none is armed. */
  @StateId("armed")
  private final StateSpec<ValueState<KV<Long, Long>>> armedSpec =
      StateSpecs.value(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

  @TimerId("number")
  private final TimerSpec numberSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  public NumberSlicesFn(long launchEpoch) {
    this.launchEpoch = launchEpoch;
  }

  @ProcessElement
  public void process(
      @Element KV<String, SliceCount> element,
      @StateId("waiting") BagState<SliceCount> waiting,
      @StateId("armed") ValueState<KV<Long, Long>> armed,
      @TimerId("number") Timer number) {
    SliceCount s = element.getValue();
    waiting.add(s);
    KV<Long, Long> timer = armed.read();
    long at = s.lastMillis();
    if (timer == null) {
      arm(armed, number, at, at);
    } else if (at < timer.getValue()) {
      // a hold may only move down to the element being processed; the firing time stays
      arm(armed, number, Math.max(timer.getKey(), at), at);
    }
  }

  @OnTimer("number")
  public void onNumber(
      OnTimerContext ctx,
      @Key String key,
      @StateId("progress") ValueState<KeyProgress> progress,
      @StateId("waiting") BagState<SliceCount> waiting,
      @StateId("armed") ValueState<KV<Long, Long>> armed,
      @TimerId("number") Timer number) {
    List<SliceCount> arrived = new ArrayList<>();
    waiting.read().forEach(arrived::add);
    slicesRead.inc(arrived.size());
    SliceNumbering.Result r =
        new SliceNumbering(launchEpoch)
            .number(progress.read(), arrived, ctx.fireTimestamp().getMillis());
    for (SliceNumber n : r.numbers()) {
      ctx.outputWithTimestamp(KV.of(key, n), new Instant(n.slice().lastMillis()));
    }
    if (r.late() > 0) {
      late.inc(r.late());
      LOG.warn(
          "{}: {} change(s) arrived after a later slice was numbered; sequenced next",
          key,
          r.late());
    }
    progress.write(r.progress());
    waiting.clear();
    armed.clear();
    if (r.waiting().isEmpty()) {
      return;
    }
    long fire = Long.MIN_VALUE;
    long hold = Long.MAX_VALUE;
    for (SliceCount s : r.waiting()) {
      waiting.add(s);
      fire = Math.max(fire, s.lastMillis());
      hold = Math.min(hold, s.lastMillis());
    }
    arm(armed, number, fire, hold);
  }

  private static void arm(
      ValueState<KV<Long, Long>> armed, Timer number, long fireMillis, long holdMillis) {
    number.withOutputTimestamp(new Instant(holdMillis)).set(new Instant(fireMillis));
    armed.write(KV.of(fireMillis, holdMillis));
  }
}
