package dev.reverserepl.writer.apply;

import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import dev.reverserepl.writer.retry.RetryConfig;
import java.time.Duration;
import java.time.ZoneOffset;

/** Builds {@link ShardApplier}s on pooled connections to an embedded shard database. */
final class ApplierFixture implements AutoCloseable {
  static final RetryConfig FAST_RETRY =
      new RetryConfig(
          200, Duration.ofMillis(20), Duration.ofMillis(500), 0.2, Duration.ofSeconds(90));

  final SessionMapping session;
  final ChangeTranslator translator;
  final Shard shard;
  final DeadLetterQueue deadLetters;
  private final ShardPools.Lease lease;

  ApplierFixture(EmbeddedMySql mysql, String shardId, String db, String dlqDir) {
    this(mysql.shard(shardId, db), TestStreams.session(), dlqDir);
  }

  ApplierFixture(Shard shard, SessionMapping session, String dlqDir) {
    this.session = session;
    this.translator = new ChangeTranslator(session, new MySqlValueConverter(ZoneOffset.UTC));
    this.shard = shard;
    this.deadLetters = new DeadLetterQueue(dlqDir);
    this.lease = ShardPools.shared().acquire(shard, 4, PasswordResolver.FROM_FILE);
  }

  javax.sql.DataSource dataSource() {
    return lease.dataSource();
  }

  ShardApplier applier(ApplySettings settings) {
    return applier(settings, FAST_RETRY);
  }

  ShardApplier applier(ApplySettings settings, RetryConfig retry) {
    return applier(settings, retry, lease.dataSource());
  }

  /** An applier on a pool of the caller's. */
  ShardApplier applier(ApplySettings settings, RetryConfig retry, javax.sql.DataSource pool) {
    return new ShardApplier(
        shard.logicalShardId(),
        pool,
        session,
        translator,
        settings,
        new MySqlRetryStrategy(),
        retry,
        deadLetters::writeAll);
  }

  @Override
  public void close() {
    lease.close();
  }
}
