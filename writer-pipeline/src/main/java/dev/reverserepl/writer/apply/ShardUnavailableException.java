package dev.reverserepl.writer.apply;

/**
 * A shard kept failing with retryable errors until the retry budget was spent. Nothing was
 * committed for the failed batch; the caller (the pipeline) fails the bundle so that the runner
 * retries it later from the same state, and the progress table keeps that retry exactly-once.
 */
public class ShardUnavailableException extends RuntimeException {
  public ShardUnavailableException(String shardId, int attempts, Throwable cause) {
    super(
        "shard "
            + shardId
            + " still failing after "
            + attempts
            + " attempts: "
            + cause.getMessage(),
        cause);
  }
}
