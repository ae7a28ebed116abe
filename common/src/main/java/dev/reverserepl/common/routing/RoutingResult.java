package dev.reverserepl.common.routing;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a change goes: a known shard, or nowhere with the reason (counted and dead-lettered by the
 * caller).
 */
public sealed interface RoutingResult extends Serializable {

  record Routed(String shardId) implements RoutingResult {
    public Routed {
      Objects.requireNonNull(shardId, "shardId");
    }
  }

  record Unresolved(String reason) implements RoutingResult {
    public Unresolved {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
