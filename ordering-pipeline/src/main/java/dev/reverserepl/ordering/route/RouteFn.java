package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.routing.RoutingResult;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.ordering.OrderingMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Resolves each change's logical shard with the {@link ShardRouter} (shard-id column, or a custom fetcher); when
 * that fails and a Spanner database is known, with a {@link StaleReadShardFetcher} read of the row just before the
 * change committed.
 */
public final class RouteFn extends DoFn<Change, RoutingAttempt> {
  private final ShardRouter router;
  private final SessionMapping session;
  private final SpannerCoordinates staleReadSpanner;
  private final Counter staleReads = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.RESOLVED_BY_STALE_READ);
  private transient StaleReadShardFetcher staleRead;

  public RouteFn(ShardRouter router, SessionMapping session, SpannerCoordinates staleReadSpanner) {
    this.router = router;
    this.session = session;
    this.staleReadSpanner = staleReadSpanner;
  }

  @Setup
  public void setup() {
    if (staleReadSpanner != null) {
      staleRead = StaleReadShardFetcher.open(staleReadSpanner);
    }
  }

  @Teardown
  public void teardown() {
    if (staleRead != null) {
      staleRead.close();
    }
  }

  /** A delete whose keys do not name the shard: the one case history may resolve. */
  private boolean lacksShardColumn(Change change) {
    if (!change.kind().isDelete()) {
      return false;
    }
    return session.table(change.table())
        .map(t -> t.shardIdColumn() != null && !change.keysJson().contains("\"" + t.shardIdColumn() + "\""))
        .orElse(false);
  }

  @ProcessElement
  public void process(@Element Change change, OutputReceiver<RoutingAttempt> out) {
    RoutingResult r = router.route(change);
    if (r instanceof RoutingResult.Routed routed) {
      out.output(new RoutingAttempt(change, routed.shardId(), null, false));
      return;
    }
    String reason = ((RoutingResult.Unresolved) r).reason();
    if (staleRead != null && session.table(change.table()).isPresent()) {
      String shard = staleRead.shardAt(change, session.table(change.table()).get());
      if (shard != null) {
        staleReads.inc();
        out.output(new RoutingAttempt(change, shard, null, false));
        return;
      }
      reason = reason + "; a stale read of Spanner just before the commit found no shard either";
    }
    out.output(new RoutingAttempt(change, null, reason, lacksShardColumn(change)));
  }
}
