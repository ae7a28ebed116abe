package dev.reverserepl.common.routing;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.util.List;
import java.util.Optional;

/**
 * Spreads rows over the shards by a stable hash of their table and Spanner key, for databases that
 * were sharded by key rather than by a shard-id column. Every change of a row — deletes included,
 * since they carry the key — goes to the same shard, in every run and on every worker.
 */
public final class KeyHashShardIdFetcher implements ShardIdFetcher {
  private List<String> shardIds = List.of();

  @Override
  public void init(SessionMapping session, List<Shard> shards) {
    shardIds = shards.stream().map(Shard::logicalShardId).toList();
  }

  @Override
  public Optional<String> shardIdFor(Change change, TableMapping table) {
    if (shardIds.isEmpty()) {
      return Optional.empty();
    }
    int h = (table.spannerTable() + "\u0000" + change.keysJson()).hashCode();
    return Optional.of(shardIds.get(Math.floorMod(h, shardIds.size())));
  }
}
