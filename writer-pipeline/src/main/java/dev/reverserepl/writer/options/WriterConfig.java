package dev.reverserepl.writer.options;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.apply.PasswordResolver;
import dev.reverserepl.writer.resequence.ResequenceSettings;
import dev.reverserepl.writer.retry.RetryConfig;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the apply step needs, validated and loaded once (from {@link WriterOptions} or built
 * directly by an in-process caller such as the local runner). {@code connectionsPerShard} is the
 * pool size per shard per worker.
 */
public record WriterConfig(
    List<Shard> shards,
    SessionMapping session,
    ZoneOffset sourceOffset,
    ApplySettings apply,
    RetryConfig retry,
    String deadLetterDirectory,
    int connectionsPerShard,
    PasswordResolver passwords,
    ResequenceSettings resequence)
    implements Serializable {

  public WriterConfig(
      List<Shard> shards,
      SessionMapping session,
      ZoneOffset sourceOffset,
      ApplySettings apply,
      RetryConfig retry,
      String deadLetterDirectory,
      int connectionsPerShard,
      PasswordResolver passwords) {
    this(
        shards,
        session,
        sourceOffset,
        apply,
        retry,
        deadLetterDirectory,
        connectionsPerShard,
        passwords,
        ResequenceSettings.DEFAULT);
  }

  public WriterConfig {
    shards = List.copyOf(shards);
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(sourceOffset, "sourceOffset");
    Objects.requireNonNull(apply, "apply");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(deadLetterDirectory, "deadLetterDirectory");
    Objects.requireNonNull(passwords, "passwords");
    Objects.requireNonNull(resequence, "resequence");
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("at least one shard is needed");
    }
    if (connectionsPerShard < 1) {
      throw new IllegalArgumentException(
          "connectionsPerShard must be >= 1: " + connectionsPerShard);
    }
  }

  /** Defaults for everything but the shards, the session and the dead-letter directory. */
  public static WriterConfig of(
      List<Shard> shards, SessionMapping session, String deadLetterDirectory) {
    return new WriterConfig(
        shards,
        session,
        ZoneOffset.UTC,
        ApplySettings.DEFAULT,
        RetryConfig.DEFAULT,
        deadLetterDirectory,
        4,
        PasswordResolver.FROM_FILE);
  }

  public WriterConfig withResequence(ResequenceSettings v) {
    return new WriterConfig(
        shards,
        session,
        sourceOffset,
        apply,
        retry,
        deadLetterDirectory,
        connectionsPerShard,
        passwords,
        v);
  }

  public Optional<Shard> shard(String logicalShardId) {
    return shards.stream().filter(s -> s.logicalShardId().equals(logicalShardId)).findFirst();
  }

  public WriterConfig withSourceOffset(ZoneOffset v) {
    return new WriterConfig(
        shards,
        session,
        v,
        apply,
        retry,
        deadLetterDirectory,
        connectionsPerShard,
        passwords,
        resequence);
  }

  public WriterConfig withApply(ApplySettings v) {
    return new WriterConfig(
        shards,
        session,
        sourceOffset,
        v,
        retry,
        deadLetterDirectory,
        connectionsPerShard,
        passwords,
        resequence);
  }

  public WriterConfig withRetry(RetryConfig v) {
    return new WriterConfig(
        shards,
        session,
        sourceOffset,
        apply,
        v,
        deadLetterDirectory,
        connectionsPerShard,
        passwords,
        resequence);
  }

  public WriterConfig withDeadLetterDirectory(String v) {
    return new WriterConfig(
        shards, session, sourceOffset, apply, retry, v, connectionsPerShard, passwords, resequence);
  }

  public WriterConfig withConnectionsPerShard(int v) {
    return new WriterConfig(
        shards, session, sourceOffset, apply, retry, deadLetterDirectory, v, passwords, resequence);
  }

  public WriterConfig withPasswords(PasswordResolver v) {
    return new WriterConfig(
        shards,
        session,
        sourceOffset,
        apply,
        retry,
        deadLetterDirectory,
        connectionsPerShard,
        v,
        resequence);
  }
}
