package dev.reverserepl.ordering.route;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerException;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.session.TableMapping;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stale read that never wedges routing. Rules (ordering README R4, tests {@code
 * StaleReadRetryTest.ruleR4_...}):
 *
 * <ol>
 *   <li>A transient failure (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, INTERNAL)
 *       is retried with exponential backoff and jitter, at most {@code maxAttempts} times.
 *   <li>A permanent failure (the read time is past the database's version retention, a key that
 *       does not match the column's type, an unknown table or column: anything else) is not
 *       retried.
 *   <li>Either way the outcome is a value, never an exception: the change becomes a routing dead
 *       letter with the reason, and the other changes — of every shard — go on, so no watermark is
 *       held.
 * </ol>
 */
public final class StaleReadRetry implements Serializable {
  private static final Set<ErrorCode> TRANSIENT =
      EnumSet.of(
          ErrorCode.UNAVAILABLE,
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.ABORTED,
          ErrorCode.RESOURCE_EXHAUSTED,
          ErrorCode.INTERNAL);

  /** How often and how patiently to retry. */
  public record Config(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
      implements Serializable {
    public Config {
      if (maxAttempts < 1
          || initialBackoff.isNegative()
          || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxAttempts >= 1 and 0 <= initialBackoff <= maxBackoff needed");
      }
    }

    public static Config defaults() {
      return new Config(8, Duration.ofMillis(200), Duration.ofSeconds(10));
    }
  }

  /** The shard found (may be null: the row had none), or why there is none. */
  public record Outcome(String shardId, String failure, int attempts) {
    public boolean failed() {
      return failure != null;
    }
  }

  /** Sleeps between attempts; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper extends Serializable {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Config config;
  private final Sleeper sleeper;

  public StaleReadRetry(Config config) {
    this(config, d -> Thread.sleep(d.toMillis()));
  }

  public StaleReadRetry(Config config, Sleeper sleeper) {
    this.config = config;
    this.sleeper = sleeper;
  }

  public Outcome read(StaleRead read, Change change, TableMapping table) {
    Duration backoff = config.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        return new Outcome(read.shardAt(change, table), null, attempt);
      } catch (RuntimeException e) {
        boolean transientFailure = isTransient(e);
        if (!transientFailure || attempt >= config.maxAttempts()) {
          return new Outcome(null, describe(e, transientFailure, attempt), attempt);
        }
      }
      try {
        long jittered =
            (long) (backoff.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble() / 2));
        sleeper.sleep(Duration.ofMillis(jittered));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return new Outcome(
            null, "stale read interrupted after " + attempt + " attempt(s)", attempt);
      }
      backoff =
          backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0
              ? config.maxBackoff()
              : backoff.multipliedBy(2);
    }
  }

  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SpannerException se) {
        return TRANSIENT.contains(se.getErrorCode());
      }
    }
    return false;
  }

  private static String describe(RuntimeException e, boolean transientFailure, int attempts) {
    String what =
        e instanceof SpannerException se
            ? se.getErrorCode() + ": " + se.getMessage()
            : e.toString();
    if (transientFailure) {
      return "the stale read of Spanner still failed after "
          + attempts
          + " attempts ("
          + what
          + ")";
    }
    String hint =
        e instanceof SpannerException se && se.getErrorCode() == ErrorCode.FAILED_PRECONDITION
            ? " — the read time is probably older than the database's version_retention_period"
            : e instanceof SpannerException ? "" : " — the key does not fit the column's type";
    return "the stale read of Spanner failed permanently (" + what + ")" + hint;
  }
}
