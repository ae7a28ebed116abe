package dev.reverserepl.common.routing;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * Finds the logical shard of a change. A custom implementation is named by class name; it needs a
 * public no-arg constructor, and {@link #init} is called once before the first {@link #shardIdFor}.
 */
public interface ShardIdFetcher extends Serializable {
  default void init(SessionMapping session, List<Shard> shards) {}

  /** The logical shard id, or empty when this change's shard cannot be told. */
  Optional<String> shardIdFor(Change change, TableMapping table);
}
