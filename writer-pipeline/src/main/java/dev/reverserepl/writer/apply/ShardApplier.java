package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.control.PauseGate;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.writer.retry.FailureKind;
import dev.reverserepl.writer.retry.RetryConfig;
import dev.reverserepl.writer.retry.RetryStrategy;
import dev.reverserepl.writer.retry.ShardFaultBackoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Applies the ordered changes of one shard's {@code (shard, partition)} streams to its MySQL
 * database, exactly once. No Beam types: the writer pipeline, the reprocess command and the
 * benchmarks all call it directly. Thread-safe; calls for the same partition must not overlap (the
 * pipeline's per-key processing guarantees it; if they did anyway, the progress row lock serialises
 * them and the position check keeps them exactly-once).
 *
 * <p>Its steps, each in its own class: {@link ShardEnvironment} (what the shard has, learnt once),
 * {@link TranslationPipeline} (translation and planning, the next batch beside the current commit,
 * into a {@link PreparedBatch}), {@link HeldConnection} (one pooled connection per call), {@link
 * BatchApplier} (whose fault a failure is, and what follows), {@link ApplyTransaction} (one MySQL
 * transaction: position, {@link Deduplication}, {@link BatchTranslation}, {@link StatementPlanner},
 * {@link DeadKeyBookkeeping}), {@link DeadLetterRecorder} and {@link ShardHealth}.
 */
public final class ShardApplier {
  private final String shardId;
  private final DataSource dataSource;
  private final SessionMapping session;
  private final ChangeTranslator translator;
  private final ApplySettings settings;
  private final RetryStrategy strategy;
  private final RetryConfig retry;
  private final DeadLetterSink deadLetters;
  private final PauseGate pauseGate;
  private final StatementHook hook;
  private final ShardHealthListener listener;
  private final ProgressTable progress;
  private final DeadLetterKeys deadKeys;
  private final ApplyTransaction transaction;
  private final ShardHealth health;
  private final Reapplier reapplier;
  private final BatchApplier batches;
  private final SessionSetup sessionSetup;
  private volatile ShardEnvironment environment;

  public ShardApplier(
      String shardId,
      DataSource dataSource,
      SessionMapping session,
      ChangeTranslator translator,
      ApplySettings settings,
      RetryStrategy strategy,
      RetryConfig retry,
      DeadLetterSink deadLetters) {
    this(
        shardId,
        dataSource,
        session,
        translator,
        settings,
        strategy,
        retry,
        deadLetters,
        StatementHook.NONE,
        PauseGate.OPEN,
        ShardHealthListener.NONE);
  }

  private ShardApplier(
      String shardId,
      DataSource dataSource,
      SessionMapping session,
      ChangeTranslator translator,
      ApplySettings settings,
      RetryStrategy strategy,
      RetryConfig retry,
      DeadLetterSink deadLetters,
      StatementHook hook,
      PauseGate pauseGate,
      ShardHealthListener listener) {
    this.shardId = shardId;
    this.dataSource = dataSource;
    this.session = session;
    this.translator = translator;
    this.settings = settings;
    this.strategy = strategy;
    this.retry = retry;
    this.deadLetters = deadLetters;
    this.pauseGate = pauseGate;
    this.hook = hook;
    this.listener = listener;
    this.progress = new ProgressTable(settings.progressTableName());
    this.deadKeys = new DeadLetterKeys(settings.progressTableName());
    this.sessionSetup = new SessionSetup();
    this.transaction =
        new ApplyTransaction(
            shardId,
            progress,
            strategy,
            hook,
            new DeadKeyBookkeeping(shardId, deadKeys),
            pauseGate.table());
    this.health = new ShardHealth(shardId, dataSource, progress, listener);
    this.reapplier =
        new Reapplier(shardId, dataSource, translator, strategy, retry, sessionSetup, deadKeys);
    this.batches = new BatchApplier(shardId, dataSource, transaction, retry, pauseGate, health);
  }

  /** A copy that calls {@code newHook} after every data statement (fault injection in tests). */
  public ShardApplier withStatementHook(StatementHook newHook) {
    return new ShardApplier(
        shardId,
        dataSource,
        session,
        translator,
        settings,
        strategy,
        retry,
        deadLetters,
        newHook,
        pauseGate,
        listener);
  }

  /**
   * A copy whose transactions check {@code gate}'s control table and wait in it while paused
   * (pause/resume of the control API, rule 17).
   */
  public ShardApplier withPauseGate(PauseGate gate) {
    return new ShardApplier(
        shardId,
        dataSource,
        session,
        translator,
        settings,
        strategy,
        retry,
        deadLetters,
        hook,
        gate,
        listener);
  }

  /**
   * A copy that tells {@code listener} when a stream is blocked by the shard and when it applies
   * again.
   */
  public ShardApplier withHealthListener(ShardHealthListener newListener) {
    return new ShardApplier(
        shardId,
        dataSource,
        session,
        translator,
        settings,
        strategy,
        retry,
        deadLetters,
        hook,
        pauseGate,
        newListener);
  }

  public String shardId() {
    return shardId;
  }

  /**
   * The applied position of a partition as MySQL has it now; {@link AppliedPosition#initial} when
   * none.
   */
  public AppliedPosition position(int partition) throws SQLException {
    environment();
    try (Connection c = dataSource.getConnection()) {
      return progress
          .read(c, shardId, partition, false)
          .orElse(AppliedPosition.initial(shardId, partition));
    }
  }

  /** The differences between the session file and this shard's live schema, one line per table. */
  public List<String> schemaMismatches() {
    return environment().mismatches(session);
  }

  /**
   * Applies {@code changes} (consecutive, in sequence order, all of one partition and epoch) and,
   * with the last batch, records {@code publishedThroughNanos} (0 = unknown). A failure that is the
   * shard's fault holds the call until the shard takes the changes (rule 4); everything committed
   * before stays committed.
   */
  public ApplyReport apply(
      int partition, List<SequencedChange> changes, long publishedThroughNanos) {
    ApplyReport.Builder report = new ApplyReport.Builder();
    if (changes.isEmpty()) {
      return report.build();
    }
    ShardEnvironment env = environment();
    DeadLetterRecorder recorder = new DeadLetterRecorder(shardId, deadLetters);
    List<List<SequencedChange>> cut =
        TransactionCutter.cut(changes, settings.batchSize(), SequencedChange::endOfTransaction);
    TranslationPipeline pipeline = new TranslationPipeline(translator, env, cut);
    try (HeldConnection held = new HeldConnection(dataSource, sessionSetup)) {
      for (int i = 0; i < cut.size(); i++) {
        long published = i == cut.size() - 1 ? publishedThroughNanos : 0;
        batches.apply(held, env, partition, pipeline.batch(i), published, report, recorder, true);
      }
    }
    return report.build();
  }

  /**
   * Raises the partition's "published through" time from a progress marker that follows sequence
   * {@code sequence} of {@code epoch}; does nothing unless that sequence is applied. Returns
   * whether the row changed.
   */
  public boolean recordPublishedThrough(
      int partition, long epoch, long sequence, long publishedThroughNanos) {
    environment();
    ShardFaultBackoff wait = new ShardFaultBackoff(retry);
    while (true) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        return progress.advancePublishedThrough(
            c, shardId, partition, epoch, sequence, publishedThroughNanos, Instant.now());
      } catch (SQLException e) {
        waitOrThrow(wait, partition, e);
      }
    }
  }

  /**
   * Re-applies one change outside its stream (the reprocess path): its own transaction, no position
   * check and no position update, since the stream has long moved past it.
   */
  public ReapplyOutcome reapply(Change change) {
    return reapplier.reapply(environment(), change);
  }

  private ShardEnvironment environment() {
    ShardEnvironment env = environment;
    if (env != null) {
      return env;
    }
    synchronized (this) {
      ShardFaultBackoff wait = new ShardFaultBackoff(retry);
      while (environment == null) {
        try (Connection c = dataSource.getConnection()) {
          environment =
              ShardEnvironment.load(
                  c, shardId, session, settings, progress, deadKeys, pauseGate.table());
        } catch (SQLException e) {
          waitOrThrow(wait, -1, e);
        }
      }
      return environment;
    }
  }

  // The shard's fault waits (forever, rule 4); anything else cannot succeed by waiting.
  private void waitOrThrow(ShardFaultBackoff wait, int partition, SQLException e) {
    if (strategy.classify(e) != FailureKind.SHARD) {
      throw new IllegalStateException("shard " + shardId + ": " + describe(e), e);
    }
    Duration d = wait.next();
    health.failed(Math.max(0, partition), e, wait.attempts(), d);
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "shard " + shardId + ": interrupted while waiting for the shard", ie);
    }
  }

  static String describe(SQLException e) {
    return e.getMessage() + " [SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + "]";
  }
}
