package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import java.io.Serializable;
import java.util.Objects;

/**
 * A change and the shard routing found for it, or (shardId null) why none was found; {@code
 * historyMayResolve} marks a delete whose keys lack the shard-id column, which the shard last seen
 * for the same row can resolve.
 */
public record RoutingAttempt(
    Change change, String shardId, String reason, boolean historyMayResolve)
    implements Serializable {
  public RoutingAttempt {
    Objects.requireNonNull(change, "change");
    if (shardId == null && reason == null) {
      throw new IllegalArgumentException("an unresolved attempt needs a reason");
    }
  }

  public boolean resolved() {
    return shardId != null;
  }

  /** The key that identifies the row the change is about: its table and Spanner key. */
  public String rowKey() {
    return change.table() + "\u0000" + change.keysJson();
  }
}
