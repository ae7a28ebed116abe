package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.translate.TranslationResult;
import dev.reverserepl.writer.retry.FailureKind;
import dev.reverserepl.writer.retry.Retrier;
import dev.reverserepl.writer.retry.RetryConfig;
import dev.reverserepl.writer.retry.RetryStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Rule 6: re-applies one dead-lettered change outside its stream (the reprocess path): its own
 * transaction, only while its row is still listed as dead, no position check and no position
 * update. A shard fault is retried within the retry budget, then reported as {@link
 * ShardUnavailableException} (an operator runs this, and waits for it).
 */
final class Reapplier {
  private final String shardId;
  private final DataSource dataSource;
  private final ChangeTranslator translator;
  private final RetryStrategy strategy;
  private final RetryConfig retry;
  private final SessionSetup session;
  private final DeadLetterKeys deadKeys;

  Reapplier(
      String shardId,
      DataSource dataSource,
      ChangeTranslator translator,
      RetryStrategy strategy,
      RetryConfig retry,
      SessionSetup session,
      DeadLetterKeys deadKeys) {
    this.shardId = shardId;
    this.dataSource = dataSource;
    this.translator = translator;
    this.strategy = strategy;
    this.retry = retry;
    this.session = session;
    this.deadKeys = deadKeys;
  }

  ReapplyOutcome reapply(ShardEnvironment env, Change change) {
    TranslationResult t = translator.translate(change);
    if (t instanceof TranslationResult.Skipped s) {
      return new ReapplyOutcome.NotReplicated(s.reason());
    }
    if (t instanceof TranslationResult.Failed f) {
      return new ReapplyOutcome.Failed("cannot translate: " + f.reason(), 1);
    }
    var row = env.schema().writable(((TranslationResult.Translated) t).rowChange());
    Retrier r = new Retrier(retry);
    while (true) {
      r.attempted();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          session.prepare(c);
          if (!deadKeys.claim(c, shardId, change)) {
            c.rollback();
            return new ReapplyOutcome.Superseded();
          }
          try (StatementExecutor exec = new StatementExecutor(c)) {
            for (SqlStatement s : env.planner().plan(List.of(row), env::hasUniqueIndex)) {
              exec.execute(s);
            }
          }
          c.commit();
          return new ReapplyOutcome.Applied(r.attempts());
        } catch (SQLException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        if (strategy.classify(e) != FailureKind.SHARD) {
          return new ReapplyOutcome.Failed(ShardApplier.describe(e), r.attempts());
        }
        backOffOrThrow(r, e);
      }
    }
  }

  private void backOffOrThrow(Retrier r, SQLException e) {
    try {
      if (r.backOff()) {
        return;
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    throw new ShardUnavailableException(shardId, r.attempts(), e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the server rolls back on disconnect.
    }
  }
}
