package dev.reverserepl.writer.apply;

import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.writer.metrics.BlockedShardMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link ShardApplier}s of one writer instance, created on first use per shard on a pooled
 * connection lease; {@link #close()} gives the leases back. Not thread-safe: one per DoFn instance
 * or command.
 */
public final class ShardAppliers implements AutoCloseable {
  private final WriterConfig config;
  private final DeadLetterSink deadLetters;
  private final ChangeTranslator translator;
  private final Map<String, ShardApplier> appliers = new HashMap<>();
  private final Map<String, javax.sql.DataSource> dataSources = new HashMap<>();
  private final List<ShardPools.Lease> leases = new ArrayList<>();

  public ShardAppliers(WriterConfig config) {
    this(config, new DeadLetterQueue(config.deadLetterDirectory())::writeAll);
  }

  public ShardAppliers(WriterConfig config, DeadLetterSink deadLetters) {
    this.config = config;
    this.deadLetters = deadLetters;
    this.translator =
        new ChangeTranslator(config.session(), new MySqlValueConverter(config.sourceOffset()));
  }

  /** The applier of a shard in the shards file; empty for an unknown shard id. */
  public Optional<ShardApplier> forShard(String shardId) {
    ShardApplier a = appliers.get(shardId);
    if (a == null) {
      Optional<Shard> shard = config.shard(shardId);
      if (shard.isEmpty()) {
        return Optional.empty();
      }
      ShardPools.Lease lease =
          ShardPools.shared()
              .acquire(shard.get(), config.connectionsPerShard(), config.passwords());
      leases.add(lease);
      a =
          new ShardApplier(
                  shardId,
                  lease.dataSource(),
                  config.session(),
                  translator,
                  config.apply(),
                  new MySqlRetryStrategy(),
                  config.retry(),
                  deadLetters)
              .withPauseGate(lease.pauseGate())
              .withHealthListener(new BlockedShardMetrics());
      appliers.put(shardId, a);
      dataSources.put(shardId, lease.dataSource());
    }
    return Optional.of(a);
  }

  /**
   * The pool of a shard whose applier exists ({@link #forShard} first); for the writer's
   * bookkeeping writes.
   */
  public Optional<javax.sql.DataSource> dataSource(String shardId) {
    return Optional.ofNullable(dataSources.get(shardId));
  }

  @Override
  public void close() {
    appliers.clear();
    dataSources.clear();
    leases.forEach(ShardPools.Lease::close);
    leases.clear();
  }
}
