package dev.reverserepl.common.dlq;

import dev.reverserepl.common.change.Change;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One change (or, for {@link #STAGE_DECODE}, one undecodable message) that a pipeline could not
 * handle, with why. Either {@code change} or {@code payload} is present. {@code shardId} is null
 * when the shard was never resolved.
 */
public record DeadLetter(
    String stage,
    String shardId,
    Change change,
    String error,
    int attempts,
    Instant time,
    String payload)
    implements Serializable {

  /** The ordering pipeline could not resolve the change's shard. */
  public static final String STAGE_ROUTING = "routing";

  /** The writer could not apply the change to its shard. */
  public static final String STAGE_APPLY = "apply";

  /** The writer could not decode a message from the buffer; {@code payload} holds it. */
  public static final String STAGE_DECODE = "decode";

  public DeadLetter {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(time, "time");
    if (change == null && payload == null) {
      throw new IllegalArgumentException("a dead letter needs the change or the raw payload");
    }
  }

  public DeadLetter(
      String stage, String shardId, Change change, String error, int attempts, Instant time) {
    this(stage, shardId, change, error, attempts, time, null);
  }

  public static DeadLetter apply(
      String shardId, Change change, String error, int attempts, Instant time) {
    return new DeadLetter(STAGE_APPLY, shardId, change, error, attempts, time, null);
  }

  public static DeadLetter undecodable(String shardId, String payload, String error, Instant time) {
    return new DeadLetter(STAGE_DECODE, shardId, null, error, 1, time, payload);
  }

  public DeadLetter withError(String newError, int newAttempts, Instant newTime) {
    return new DeadLetter(stage, shardId, change, newError, newAttempts, newTime, payload);
  }
}
