package dev.reverserepl.ordering;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.ordering.route.SpannerCoordinates;
import dev.reverserepl.ordering.sequence.SequencerConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link OrderChanges} needs, loaded and validated once (from {@code OrderingOptions},
 * or built directly by an in-process caller such as {@code rr replay}). Immutable; change a copy
 * with {@code withX}.
 *
 * @param filtrationMode which changes are left out
 * @param partitionsPerShard 1 = one strictly ordered stream per shard; n = per-key order over n
 *     streams
 * @param shardIdFetcherClass a custom {@code ShardIdFetcher} class name, or null for the shard-id
 *     column
 * @param resolveDeletesFromHistory give a delete without its shard-id column the shard last seen
 *     for its key
 * @param staleReadSpanner where to read a deleted row's shard at commit time − 1 µs; null when
 *     there is no Spanner
 * @param heartbeatSeconds progress markers for idle keys every this many seconds (streaming); 0 =
 *     none
 */
public record OrderingConfig(
    SessionMapping session,
    List<Shard> shards,
    FiltrationMode filtrationMode,
    int partitionsPerShard,
    SequencerConfig sequencer,
    String shardIdFetcherClass,
    boolean resolveDeletesFromHistory,
    SpannerCoordinates staleReadSpanner,
    long heartbeatSeconds)
    implements Serializable {

  public OrderingConfig {
    Objects.requireNonNull(session, "session");
    shards = List.copyOf(shards);
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(filtrationMode, "filtrationMode");
    if (partitionsPerShard < 1) {
      throw new IllegalArgumentException("partitionsPerShard must be >= 1: " + partitionsPerShard);
    }
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("at least one shard is needed");
    }
    if (heartbeatSeconds < 0) {
      throw new IllegalArgumentException("heartbeatSeconds must be >= 0: " + heartbeatSeconds);
    }
  }

  /**
   * Defaults for a replay of change-record files: forward-migration filter, strict order, history
   * for deletes.
   */
  public static OrderingConfig of(SessionMapping session, List<Shard> shards, long epoch) {
    return new OrderingConfig(
        session,
        shards,
        FiltrationMode.FORWARD_MIGRATION,
        1,
        SequencerConfig.defaults(epoch),
        null,
        true,
        null,
        0);
  }

  public OrderingConfig withFiltrationMode(FiltrationMode v) {
    return new OrderingConfig(
        session,
        shards,
        v,
        partitionsPerShard,
        sequencer,
        shardIdFetcherClass,
        resolveDeletesFromHistory,
        staleReadSpanner,
        heartbeatSeconds);
  }

  public OrderingConfig withPartitionsPerShard(int v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        v,
        sequencer,
        shardIdFetcherClass,
        resolveDeletesFromHistory,
        staleReadSpanner,
        heartbeatSeconds);
  }

  public OrderingConfig withSequencer(SequencerConfig v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        partitionsPerShard,
        v,
        shardIdFetcherClass,
        resolveDeletesFromHistory,
        staleReadSpanner,
        heartbeatSeconds);
  }

  public OrderingConfig withShardIdFetcherClass(String v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        partitionsPerShard,
        sequencer,
        v,
        resolveDeletesFromHistory,
        staleReadSpanner,
        heartbeatSeconds);
  }

  public OrderingConfig withResolveDeletesFromHistory(boolean v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        partitionsPerShard,
        sequencer,
        shardIdFetcherClass,
        v,
        staleReadSpanner,
        heartbeatSeconds);
  }

  public OrderingConfig withStaleReadSpanner(SpannerCoordinates v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        partitionsPerShard,
        sequencer,
        shardIdFetcherClass,
        resolveDeletesFromHistory,
        v,
        heartbeatSeconds);
  }

  public OrderingConfig withHeartbeatSeconds(long v) {
    return new OrderingConfig(
        session,
        shards,
        filtrationMode,
        partitionsPerShard,
        sequencer,
        shardIdFetcherClass,
        resolveDeletesFromHistory,
        staleReadSpanner,
        v);
  }

  /** The sequencer key streams of the run: every shard times every partition. */
  public List<String> sequencerKeys() {
    java.util.ArrayList<String> keys = new java.util.ArrayList<>();
    for (Shard s : shards) {
      for (int p = 0; p < partitionsPerShard; p++) {
        keys.add(dev.reverserepl.ordering.sequence.SequencerKey.format(s.logicalShardId(), p));
      }
    }
    return keys;
  }
}
