package dev.reverserepl.writer.retry;

import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Keeps the attempt count and elapsed time of one retried operation against its {@link
 * RetryConfig}.
 */
public final class Retrier {
  private final RetryConfig config;
  private final LongSupplier nanoClock;
  private final Random random;
  private final long startNanos;
  private int attempts;

  public Retrier(RetryConfig config) {
    this(config, System::nanoTime, new Random());
  }

  Retrier(RetryConfig config, LongSupplier nanoClock, Random random) {
    this.config = config;
    this.nanoClock = nanoClock;
    this.random = random;
    this.startNanos = nanoClock.getAsLong();
  }

  /** Counts one attempt. */
  public void attempted() {
    attempts++;
  }

  public int attempts() {
    return attempts;
  }

  /**
   * Waits before the next attempt and returns true, or returns false when the attempt or time
   * budget is spent.
   */
  public boolean backOff() throws InterruptedException {
    if (attempts >= config.maxAttempts()) {
      return false;
    }
    Duration wait = config.backoff(attempts, random.nextDouble());
    long elapsed = nanoClock.getAsLong() - startNanos;
    if (elapsed + wait.toNanos() > config.maxTotalDuration().toNanos()) {
      return false;
    }
    Thread.sleep(wait.toMillis());
    return true;
  }
}
