package dev.reverserepl.common.change;

import java.io.Serializable;
import java.util.Objects;

/** A change whose logical shard is known. */
public record ShardedChange(String shardId, Change change) implements Serializable {
  public ShardedChange {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(change, "change");
  }
}
