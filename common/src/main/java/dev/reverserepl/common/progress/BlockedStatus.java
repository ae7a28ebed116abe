package dev.reverserepl.common.progress;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Why one {@code (shard, partition)} stream is not applying: the shard itself refused its changes
 * (disk or table full, read-only, denied, missing table, connection lost, ...) since {@code since},
 * {@code attempts} attempts so far. Written by the writer while it waits, removed when the stream
 * moves again; read by {@code rr status} and the progress document.
 */
public record BlockedStatus(
    String shardId,
    int partition,
    Instant since,
    long attempts,
    int errorCode,
    String sqlState,
    String reason,
    String message,
    Instant updatedAt)
    implements Serializable {

  public BlockedStatus {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(reason, "reason");
    message = message == null ? "" : message;
    sqlState = sqlState == null ? "" : sqlState;
  }

  /**
   * One line for terminals: {@code blocked since T (reason: error 1114 [HY000] message, 12
   * attempts)}.
   */
  public String describe() {
    return "blocked since "
        + since
        + " ("
        + reason
        + ": error "
        + errorCode
        + " ["
        + sqlState
        + "] "
        + message
        + ", "
        + attempts
        + " attempts)";
  }
}
