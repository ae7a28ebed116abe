package dev.reverserepl.ordering.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerExceptionFactory;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Routing never wedges on a stale read (ordering README rule R4). */
class StaleReadRetryTest {
  static final SessionMapping SESSION =
      SessionMapping.load(Fixtures.repo("parcels-sharded/session.json").toString());
  static final List<Shard> SHARDS =
      List.of(
          Shard.of("shard1", "127.0.0.1", 3306, "u", "p", "db1"),
          Shard.of("shard2", "127.0.0.1", 3306, "u", "p", "db2"));
  static final Change DELETE_WITHOUT_SHARD =
      new Change(
          "parcel",
          ModKind.DELETE,
          "{\"parcel_id\":\"7\"}",
          "{}",
          new dev.reverserepl.common.change.ChangePosition(5_000_000_000L, "t", 0, 0),
          "",
          1);
  static final Change ROUTED =
      new Change(
          "parcel",
          ModKind.INSERT,
          "{\"parcel_id\":\"8\"}",
          "{\"parcel_id\":\"8\",\"migration_shard_id\":\"shard2\"}",
          new dev.reverserepl.common.change.ChangePosition(6_000_000_000L, "u", 0, 0),
          "",
          1);

  private final List<Duration> sleeps = new ArrayList<>();
  private final StaleReadRetry retry =
      new StaleReadRetry(
          new StaleReadRetry.Config(5, Duration.ofMillis(100), Duration.ofMillis(300)),
          sleeps::add);

  /** A stale read answering from a script: each element a shard id or an exception to throw. */
  static final class Scripted implements StaleRead {
    final Deque<Supplier<String>> script = new ConcurrentLinkedDeque<>();
    int calls;

    Scripted then(Supplier<String> s) {
      script.add(s);
      return this;
    }

    @Override
    public String shardAt(Change change, TableMapping table) {
      calls++;
      Supplier<String> next = script.size() > 1 ? script.poll() : script.peek();
      return next.get();
    }

    @Override
    public void close() {}
  }

  static Supplier<String> fail(ErrorCode code) {
    return () -> {
      throw SpannerExceptionFactory.newSpannerException(code, "injected " + code);
    };
  }

  @Test
  void ruleR4_transientFailuresAreRetriedWithBackoff() {
    Scripted read =
        new Scripted()
            .then(fail(ErrorCode.UNAVAILABLE))
            .then(fail(ErrorCode.DEADLINE_EXCEEDED))
            .then(() -> "shard2");
    StaleReadRetry.Outcome o = retry.read(read, DELETE_WITHOUT_SHARD, null);
    assertEquals("shard2", o.shardId());
    assertEquals(3, o.attempts());
    assertEquals(2, sleeps.size());
    assertTrue(
        sleeps.get(1).compareTo(sleeps.get(0).dividedBy(2)) >= 0, "backoff grows: " + sleeps);
  }

  @Test
  void ruleR4_aPermanentFailureIsNotRetriedAndNamesTheRetention() {
    Scripted read = new Scripted().then(fail(ErrorCode.FAILED_PRECONDITION));
    StaleReadRetry.Outcome o = retry.read(read, DELETE_WITHOUT_SHARD, null);
    assertTrue(o.failed());
    assertEquals(1, read.calls);
    assertTrue(o.failure().contains("version_retention_period"), o.failure());
    Scripted mismatch =
        new Scripted()
            .then(
                () -> {
                  throw new NumberFormatException("For input string: \"x\"");
                });
    assertTrue(retry.read(mismatch, DELETE_WITHOUT_SHARD, null).failure().contains("type"));
  }

  @Test
  void ruleR4_aTransientFailureOutlastingTheBudgetEndsAsAFailureNotAnException() {
    Scripted read = new Scripted().then(fail(ErrorCode.UNAVAILABLE));
    StaleReadRetry.Outcome o = retry.read(read, DELETE_WITHOUT_SHARD, null);
    assertTrue(o.failed());
    assertEquals(5, read.calls);
    assertTrue(sleeps.stream().allMatch(d -> d.toMillis() <= 300), sleeps.toString());
  }

  @Test
  void ruleR4_aFailingStaleReadBecomesARoutingDeadLetterAndTheOtherChangesGoOn() {
    Scripted read = new Scripted().then(fail(ErrorCode.FAILED_PRECONDITION));
    RouteFn fn = new RouteFn(new ShardRouter(SESSION, SHARDS), SESSION, () -> read, retry);
    fn.setup();
    List<RoutingAttempt> out = List.of(fn.route(DELETE_WITHOUT_SHARD), fn.route(ROUTED));
    fn.teardown();
    assertEquals(2, out.size());
    assertFalse(out.get(0).resolved());
    assertTrue(out.get(0).reason().contains("failed permanently"), out.get(0).reason());
    assertEquals("shard2", out.get(1).shardId());
    assertNull(out.get(1).reason());
  }
}
