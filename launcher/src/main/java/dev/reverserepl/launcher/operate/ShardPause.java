package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.control.ControlTable.ControlRow;
import dev.reverserepl.common.control.PauseState;
import java.time.Instant;
import java.util.Optional;

/**
 * One shard's pause as its control row tells it: requested ({@code paused}) versus acknowledged by
 * a writer ({@link PauseState#PAUSED}). {@code pauseId} numbers the shard's pauses (0 = never
 * paused); the acknowledgement fields are null until a writer acknowledged the pause in force.
 */
public record ShardPause(
    PauseState state, long pauseId, Instant acknowledgedAt, String acknowledgedBy) {
  public static final ShardPause RUNNING = new ShardPause(PauseState.RUNNING, 0, null, null);

  public static ShardPause of(Optional<ControlRow> row) {
    if (row.isEmpty()) {
      return RUNNING;
    }
    ControlRow r = row.get();
    boolean acked = r.state() == PauseState.PAUSED;
    return new ShardPause(
        r.state(), r.pauseId(), acked ? r.ackAt() : null, acked ? r.ackBy() : null);
  }

  public boolean requested() {
    return state != PauseState.RUNNING;
  }

  public boolean stopped() {
    return state == PauseState.PAUSED;
  }

  void writeTo(ObjectNode o) {
    o.put("pauseState", state.name());
    o.put("pauseId", pauseId);
    o.put("pauseAcknowledgedAt", acknowledgedAt == null ? null : acknowledgedAt.toString());
    o.put("pauseAcknowledgedBy", acknowledgedBy);
  }
}
