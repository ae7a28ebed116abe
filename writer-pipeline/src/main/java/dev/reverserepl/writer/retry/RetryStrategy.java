package dev.reverserepl.writer.retry;

import java.io.Serializable;

/**
 * Decides whether a failure is worth retrying. Separate from {@link RetryConfig}, which says how
 * often and how long.
 */
public interface RetryStrategy extends Serializable {
  FailureKind classify(Throwable failure);
}
