package dev.reverserepl.ordering.route;

import dev.reverserepl.ordering.OrderingMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.VarIntCoder;
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

/**
 * Per row (table + Spanner key), rule R2: resolves a delete whose keys lack the shard-id column to
 * the shard the row was seen in just before it in commit order — the only source of truth when
 * replaying files, where there is no Spanner to ask.
 *
 * <p>Only such deletes wait (until the watermark passes their commit time); every other change has
 * gone on already and is here only as a {@link Sighting}. Per row the state is the newest final
 * sighting, the sightings the watermark has not yet passed and the waiting deletes; sightings are
 * compacted ({@link RowHistory}) when a delete is released or after {@value #COMPACT_AFTER} of
 * them, so a row updated a million times keeps a handful.
 */
public final class HistoryResolverFn extends DoFn<KV<String, HistoryInput>, RoutingAttempt> {
  static final int COMPACT_AFTER = 16;

  private final Counter resolved =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.RESOLVED_BY_HISTORY);

  @StateId("last")
  private final StateSpec<ValueState<Sighting>> lastSpec = StateSpecs.value(Sighting.Coder.of());

  @StateId("recent")
  private final StateSpec<BagState<Sighting>> recentSpec = StateSpecs.bag(Sighting.Coder.of());

  @StateId("recentCount")
  private final StateSpec<ValueState<Integer>> recentCountSpec = StateSpecs.value(VarIntCoder.of());

  @StateId("waiting")
  private final StateSpec<BagState<RoutingAttempt>> waitingSpec =
      StateSpecs.bag(RoutingAttemptCoder.of());

  @StateId("timerAt")
  private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @ProcessElement
  public void process(
      @Element KV<String, HistoryInput> element,
      @StateId("recent") BagState<Sighting> recent,
      @StateId("recentCount") ValueState<Integer> recentCount,
      @StateId("waiting") BagState<RoutingAttempt> waiting,
      @StateId("timerAt") ValueState<Long> timerAt,
      @TimerId("release") Timer release) {
    HistoryInput in = element.getValue();
    Long at = timerAt.read();
    if (in.sighting() != null) {
      recent.add(in.sighting());
      Integer n = recentCount.read();
      int count = n == null ? 1 : n + 1;
      recentCount.write(count);
      if (count >= COMPACT_AFTER && at == null) {
        arm(in.sighting().commitMillis(), timerAt, release);
      }
      return;
    }
    waiting.add(in.waiting());
    long millis = RowHistory.commitMillis(in.waiting());
    if (at == null || millis < at) {
      arm(millis, timerAt, release);
    }
  }

  @OnTimer("release")
  public void onRelease(
      OnTimerContext ctx,
      @StateId("last") ValueState<Sighting> last,
      @StateId("recent") BagState<Sighting> recent,
      @StateId("recentCount") ValueState<Integer> recentCount,
      @StateId("waiting") BagState<RoutingAttempt> waiting,
      @StateId("timerAt") ValueState<Long> timerAt,
      @TimerId("release") Timer release) {
    RowHistory.Release r =
        RowHistory.release(
            last.read(), list(recent.read()), list(waiting.read()), ctx.timestamp().getMillis());
    for (RoutingAttempt a : r.released()) {
      ctx.outputWithTimestamp(a, new Instant(RowHistory.commitMillis(a)));
    }
    resolved.inc(r.resolved());
    if (r.last() != null) {
      last.write(r.last());
    }
    recent.clear();
    r.recent().forEach(recent::add);
    recentCount.write(r.recent().size());
    waiting.clear();
    r.waiting().forEach(waiting::add);
    long next = Long.MAX_VALUE;
    for (RoutingAttempt a : r.waiting()) {
      next = Math.min(next, RowHistory.commitMillis(a));
    }
    if (next == Long.MAX_VALUE && r.recent().size() >= COMPACT_AFTER) {
      for (Sighting s : r.recent()) {
        next = Math.min(next, s.commitMillis());
      }
    }
    if (next == Long.MAX_VALUE) {
      timerAt.clear();
    } else {
      arm(next, timerAt, release);
    }
  }

  /** The timer also holds the watermark there, so a released delete is never late downstream. */
  private static void arm(long millis, ValueState<Long> timerAt, Timer release) {
    timerAt.write(millis);
    release.withOutputTimestamp(new Instant(millis)).set(new Instant(millis));
  }

  private static <T> List<T> list(Iterable<T> items) {
    List<T> all = new ArrayList<>();
    items.forEach(all::add);
    return all;
  }
}
