package dev.reverserepl.writer.retry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How hard to retry a retryable failure: at most {@code maxAttempts} attempts of one batch, waiting
 * an exponential backoff from {@code initialBackoff} doubling up to {@code maxBackoff}, each wait
 * varied by ±{@code jitter} (fraction), and never longer in total than {@code maxTotalDuration}.
 * What counts as retryable is the {@link RetryStrategy}'s business, not this record's.
 */
public record RetryConfig(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter,
    Duration maxTotalDuration)
    implements Serializable {

  public static final RetryConfig DEFAULT =
      new RetryConfig(
          20, Duration.ofMillis(100), Duration.ofSeconds(10), 0.2, Duration.ofMinutes(5));

  public RetryConfig {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxTotalDuration, "maxTotalDuration");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff: " + initialBackoff + ", " + maxBackoff);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
    }
  }

  public RetryConfig withMaxAttempts(int v) {
    return new RetryConfig(v, initialBackoff, maxBackoff, jitter, maxTotalDuration);
  }

  public RetryConfig withInitialBackoff(Duration v) {
    return new RetryConfig(maxAttempts, v, maxBackoff, jitter, maxTotalDuration);
  }

  public RetryConfig withMaxBackoff(Duration v) {
    return new RetryConfig(maxAttempts, initialBackoff, v, jitter, maxTotalDuration);
  }

  public RetryConfig withJitter(double v) {
    return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, v, maxTotalDuration);
  }

  public RetryConfig withMaxTotalDuration(Duration v) {
    return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, jitter, v);
  }

  /**
   * The wait before attempt {@code attempt + 1} ({@code attempt} ≥ 1), {@code random} in [0, 1).
   */
  public Duration backoff(int attempt, double random) {
    double base = initialBackoff.toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
    double capped = Math.min(base, maxBackoff.toMillis());
    double factor = 1 + jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(0, Math.round(capped * factor)));
  }
}
