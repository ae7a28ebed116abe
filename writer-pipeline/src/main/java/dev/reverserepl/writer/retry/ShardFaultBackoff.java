package dev.reverserepl.writer.retry;

import java.time.Duration;
import java.util.Random;

/**
 * The wait between attempts while the shard itself is at fault: the {@link RetryConfig}'s
 * exponential backoff with jitter, capped at its {@code maxBackoff}, with no attempt or time limit.
 * A shard fault never dead-letters a change; it holds the shard until the shard takes changes
 * again.
 */
public final class ShardFaultBackoff {
  private final RetryConfig config;
  private final Random random = new Random();
  private int attempts;

  public ShardFaultBackoff(RetryConfig config) {
    this.config = config;
  }

  /** Counts one failed attempt and returns how long to wait before the next one. */
  public Duration next() {
    attempts++;
    return config.backoff(attempts, random.nextDouble());
  }

  public int attempts() {
    return attempts;
  }

  public void reset() {
    attempts = 0;
  }
}
