package dev.reverserepl.ordering.route;

import dev.reverserepl.ordering.OrderingMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * Per row (table + Spanner key): resolves a delete whose keys lack the shard-id column to the shard
 * the row was last seen in earlier in the stream — the only source of truth when replaying files,
 * where there is no Spanner to ask.
 *
 * <p>Changes of one row are held until the watermark passes their commit time and then handled in
 * commit order, so "earlier in the stream" means earlier in commit order, whatever order the
 * records arrived in. Only the row's last shard and its not yet complete changes are kept.
 */
public final class HistoryResolverFn extends DoFn<KV<String, RoutingAttempt>, RoutingAttempt> {
  private final Counter resolved =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.RESOLVED_BY_HISTORY);

  @StateId("pending")
  private final StateSpec<BagState<RoutingAttempt>> pendingSpec = StateSpecs.bag();

  @StateId("lastShard")
  private final StateSpec<ValueState<String>> lastShardSpec =
      StateSpecs.value(StringUtf8Coder.of());

  @StateId("timerAt")
  private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @ProcessElement
  public void process(
      @Element KV<String, RoutingAttempt> element,
      @StateId("pending") BagState<RoutingAttempt> pending,
      @StateId("timerAt") ValueState<Long> timerAt,
      @TimerId("release") Timer release) {
    RoutingAttempt a = element.getValue();
    pending.add(a);
    long millis = commitMillis(a);
    Long at = timerAt.read();
    if (at == null || millis < at) {
      timerAt.write(millis);
      release.withOutputTimestamp(new Instant(millis)).set(new Instant(millis));
    }
  }

  @OnTimer("release")
  public void onRelease(
      OnTimerContext ctx,
      @StateId("pending") BagState<RoutingAttempt> pending,
      @StateId("lastShard") ValueState<String> lastShard,
      @StateId("timerAt") ValueState<Long> timerAt,
      @TimerId("release") Timer release) {
    long through = ctx.timestamp().getMillis();
    List<RoutingAttempt> all = new ArrayList<>();
    pending.read().forEach(all::add);
    all.sort(Comparator.comparing(r -> r.change().position()));
    List<RoutingAttempt> later = new ArrayList<>();
    String shard = lastShard.read();
    for (RoutingAttempt a : all) {
      if (commitMillis(a) > through) {
        later.add(a);
        continue;
      }
      RoutingAttempt out = a;
      if (a.resolved()) {
        shard = a.shardId();
      } else if (a.historyMayResolve() && shard != null) {
        out = new RoutingAttempt(a.change(), shard, null, false);
        resolved.inc();
      } else if (a.historyMayResolve()) {
        out =
            new RoutingAttempt(
                a.change(),
                null,
                a.reason() + "; and no earlier change of this row in the stream names its shard",
                false);
      }
      ctx.outputWithTimestamp(out, new Instant(commitMillis(a)));
    }
    if (shard != null) {
      lastShard.write(shard);
    }
    pending.clear();
    if (later.isEmpty()) {
      timerAt.clear();
      return;
    }
    long next = Long.MAX_VALUE;
    for (RoutingAttempt a : later) {
      pending.add(a);
      next = Math.min(next, commitMillis(a));
    }
    timerAt.write(next);
    release.withOutputTimestamp(new Instant(next)).set(new Instant(next));
  }

  private static long commitMillis(RoutingAttempt a) {
    return Math.floorDiv(a.change().position().commitNanos(), 1_000_000L);
  }

  /** The row key; the shard a delete takes is the one of the row's previous change. */
  public static KV<String, RoutingAttempt> keyed(RoutingAttempt a) {
    return KV.of(a.rowKey(), a);
  }
}
