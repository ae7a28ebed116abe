package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.routing.RoutingResult;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.ordering.OrderingMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Resolves each change's logical shard with the {@link ShardRouter} (shard-id column, or a custom
 * fetcher); when that fails and a Spanner database is known, with a {@link StaleRead} of the row
 * just before the change committed, retried by {@link StaleReadRetry} — a failing read becomes a
 * routing dead letter with its reason (or is left to the row's history), never a failed bundle.
 * Also reports the newest commit read ({@code newest_commit_read_millis}).
 */
public final class RouteFn extends DoFn<Change, RoutingAttempt> {
  private final ShardRouter router;
  private final SessionMapping session;
  private final StaleRead.Factory staleReads;
  private final StaleReadRetry retry;
  private transient Counter resolvedByStaleRead;
  private final Counter staleReadFailures =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.STALE_READ_FAILURES);
  private final Gauge newestCommit =
      Metrics.gauge(OrderingMetrics.NAMESPACE, OrderingMetrics.NEWEST_COMMIT_READ);
  private transient StaleRead staleRead;
  private transient long newestMillis;

  public RouteFn(ShardRouter router, SessionMapping session, SpannerCoordinates staleReadSpanner) {
    this(
        router,
        session,
        staleReadSpanner == null ? null : StaleRead.spanner(staleReadSpanner),
        new StaleReadRetry(StaleReadRetry.Config.defaults()));
  }

  public RouteFn(
      ShardRouter router,
      SessionMapping session,
      StaleRead.Factory staleReads,
      StaleReadRetry retry) {
    this.router = router;
    this.session = session;
    this.staleReads = staleReads;
    this.retry = retry;
  }

  @Setup
  public void setup() {
    if (staleReads != null) {
      staleRead = staleReads.open();
      resolvedByStaleRead =
          Metrics.counter(OrderingMetrics.NAMESPACE, staleRead.origin().resolvedCounter());
    }
    newestMillis = Long.MIN_VALUE;
  }

  @Teardown
  public void teardown() {
    if (staleRead != null) {
      staleRead.close();
    }
  }

  /** True for a delete of {@code table} whose keys do not carry its shard-id column. */
  public static boolean lacksShardColumn(Change change, TableMapping table) {
    return change.kind().isDelete()
        && table.shardIdColumn() != null
        && !change.keysJson().contains("\"" + table.shardIdColumn() + "\"");
  }

  @ProcessElement
  public void process(@Element Change change, OutputReceiver<RoutingAttempt> out) {
    out.output(route(change));
  }

  /** The routing of one change (after {@link #setup}); never throws for a failing stale read. */
  public RoutingAttempt route(Change change) {
    long commitMillis = Math.floorDiv(change.position().commitNanos(), 1_000_000L);
    if (commitMillis > newestMillis) {
      newestMillis = commitMillis;
      newestCommit.set(commitMillis);
    }
    RoutingResult r = router.route(change);
    if (r instanceof RoutingResult.Routed routed) {
      return new RoutingAttempt(change, routed.shardId(), null, false);
    }
    String reason = ((RoutingResult.Unresolved) r).reason();
    TableMapping table = session.table(change.table()).orElse(null);
    StaleRead.Origin origin = staleRead == null ? null : staleRead.origin();
    boolean lacks = table != null && lacksShardColumn(change, table);
    if (origin != null && table != null && (lacks || !origin.onlyDeletesLackingShard())) {
      StaleReadRetry.Outcome o = retry.read(staleRead, change, table);
      if (o.shardId() != null) {
        resolvedByStaleRead.inc();
        return new RoutingAttempt(change, o.shardId(), null, false);
      }
      if (o.failed()) {
        staleReadFailures.inc();
        reason = reason + "; " + o.failure();
      } else {
        reason = reason + "; " + origin.missReason();
      }
    }
    // the files' history has been asked already: the per-row stage would find nothing more
    boolean historyMayResolve = lacks && origin != StaleRead.Origin.FILE_HISTORY;
    return new RoutingAttempt(change, null, reason, historyMayResolve);
  }
}
