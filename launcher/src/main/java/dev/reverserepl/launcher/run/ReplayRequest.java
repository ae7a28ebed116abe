package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ControlSettings;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One replay of change-record files into real MySQL shards. Immutable; defaults in {@link #of}.
 *
 * @param changesPath change-record file or directory (local or gs://)
 * @param sessionPath session file of the Spanner migration tool
 * @param shardsPath shards file
 * @param buffer what lies between the ordering and the writer pipelines
 * @param kafkaBootstrapServers an existing broker for {@code kafka}; null starts an embedded one
 * @param deadLetterDirectory where dead-lettered changes go
 * @param partitionsPerShard 1 = strict per-shard commit order; more = per-key order, parallel apply
 * @param sourceOffset the MySQL shards' time-zone offset
 * @param progressEverySeconds how often a progress line is printed (0 = never)
 * @param shardIdFetcherClass a custom shard-id fetcher class, or null for the session's shard-id
 *     column
 * @param control where the control API listens, or null for none
 */
public record ReplayRequest(
    String changesPath,
    String sessionPath,
    String shardsPath,
    ReplayBuffer buffer,
    String kafkaBootstrapServers,
    String deadLetterDirectory,
    int partitionsPerShard,
    ZoneOffset sourceOffset,
    int progressEverySeconds,
    String shardIdFetcherClass,
    ControlSettings control) {

  public ReplayRequest {
    Objects.requireNonNull(changesPath, "changesPath");
    Objects.requireNonNull(sessionPath, "sessionPath");
    Objects.requireNonNull(shardsPath, "shardsPath");
    Objects.requireNonNull(buffer, "buffer");
    if (partitionsPerShard < 1) {
      throw new IllegalArgumentException(
          "--partitions-per-shard must be >= 1, got " + partitionsPerShard);
    }
  }

  public static ReplayRequest of(
      String changes, String session, String shards, String deadLetterDirectory) {
    return new ReplayRequest(
        changes,
        session,
        shards,
        ReplayBuffer.NONE,
        null,
        deadLetterDirectory,
        1,
        ZoneOffset.UTC,
        2,
        null,
        null);
  }

  public ReplayRequest withBuffer(ReplayBuffer b, String bootstrap) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        b,
        bootstrap,
        deadLetterDirectory,
        partitionsPerShard,
        sourceOffset,
        progressEverySeconds,
        shardIdFetcherClass,
        control);
  }

  public ReplayRequest withPartitionsPerShard(int n) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        buffer,
        kafkaBootstrapServers,
        deadLetterDirectory,
        n,
        sourceOffset,
        progressEverySeconds,
        shardIdFetcherClass,
        control);
  }

  public ReplayRequest withSourceOffset(ZoneOffset o) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        buffer,
        kafkaBootstrapServers,
        deadLetterDirectory,
        partitionsPerShard,
        o,
        progressEverySeconds,
        shardIdFetcherClass,
        control);
  }

  public ReplayRequest withProgressEverySeconds(int s) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        buffer,
        kafkaBootstrapServers,
        deadLetterDirectory,
        partitionsPerShard,
        sourceOffset,
        s,
        shardIdFetcherClass,
        control);
  }

  public ReplayRequest withShardIdFetcherClass(String c) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        buffer,
        kafkaBootstrapServers,
        deadLetterDirectory,
        partitionsPerShard,
        sourceOffset,
        progressEverySeconds,
        c,
        control);
  }

  public ReplayRequest withControl(ControlSettings c) {
    return new ReplayRequest(
        changesPath,
        sessionPath,
        shardsPath,
        buffer,
        kafkaBootstrapServers,
        deadLetterDirectory,
        partitionsPerShard,
        sourceOffset,
        progressEverySeconds,
        shardIdFetcherClass,
        c);
  }
}
