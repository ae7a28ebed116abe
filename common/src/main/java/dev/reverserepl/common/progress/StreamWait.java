package dev.reverserepl.common.progress;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stream of a shard that has waited for a missing sequence longer than the writer's gap limit:
 * recorded in the stream's progress row by the writer, read by {@code rr status} and the control
 * API.
 */
public record StreamWait(
    String shardId, int partition, long epoch, long missingSequence, Instant since)
    implements Serializable {
  /**
   * What brings a missing sequence back; the same text in the writer's log line and in {@code rr
   * status}.
   */
  public static final String RECOVERY =
      "re-publish from the shard's applied position: restart the ordering job without startTimestamp (a new epoch"
          + " resumes from the shards' progress rows), see docs/operate.md \"Restart and upgrade\"";

  public StreamWait {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(since, "since");
  }

  public Duration waited(Instant now) {
    Duration d = Duration.between(since, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** One line for logs and the console. */
  public String describe(Instant now) {
    return "shard "
        + shardId
        + " partition "
        + partition
        + " epoch "
        + epoch
        + " waits for sequence "
        + missingSequence
        + " since "
        + since
        + " ("
        + waited(now).toSeconds()
        + " s); recovery: "
        + RECOVERY;
  }
}
