package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.control.PauseGate;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.translate.TranslationResult;
import dev.reverserepl.writer.retry.FailureKind;
import dev.reverserepl.writer.retry.Retrier;
import dev.reverserepl.writer.retry.RetryConfig;
import dev.reverserepl.writer.retry.RetryStrategy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Applies the ordered changes of one shard's {@code (shard, partition)} streams to its MySQL database, exactly once.
 * No Beam types: the writer pipeline, the reprocess command and the benchmarks all call it directly. Thread-safe;
 * calls for the same partition must not overlap (the pipeline's per-key processing guarantees it; if they did
 * anyway, the progress row lock serialises them and the position check keeps them exactly-once).
 *
 * <p>Each transaction: lock the progress row ({@code SELECT ... FOR UPDATE}); drop changes at or below its position
 * (duplicates); apply the rest as multi-row statements ({@link StatementPlanner}); write the new position in the same
 * transaction; commit. Retryable failures roll back and retry the whole batch with backoff; a permanent failure
 * re-runs the batch change by change, dead-letters the single failing change and moves the position past it.
 */
public final class ShardApplier {
  private final String shardId;
  private final DataSource dataSource;
  private final ChangeTranslator translator;
  private final Set<String> strictOrderTables;
  private final ApplySettings settings;
  private final ProgressTable progress;
  private final DeadLetterKeys deadKeys;
  private final RetryStrategy strategy;
  private final RetryConfig retry;
  private final DeadLetterSink deadLetters;
  private final StatementHook hook;
  private final PauseGate pauseGate;
  private volatile StatementPlanner planner;
  private volatile boolean progressTableReady;

  public ShardApplier(
      String shardId,
      DataSource dataSource,
      SessionMapping session,
      ChangeTranslator translator,
      ApplySettings settings,
      RetryStrategy strategy,
      RetryConfig retry,
      DeadLetterSink deadLetters) {
    this(shardId, dataSource, strictTables(session), translator, settings, strategy, retry, deadLetters,
        StatementHook.NONE, PauseGate.OPEN);
  }

  private ShardApplier(
      String shardId,
      DataSource dataSource,
      Set<String> strictOrderTables,
      ChangeTranslator translator,
      ApplySettings settings,
      RetryStrategy strategy,
      RetryConfig retry,
      DeadLetterSink deadLetters,
      StatementHook hook,
      PauseGate pauseGate) {
    this.shardId = shardId;
    this.dataSource = dataSource;
    this.strictOrderTables = strictOrderTables;
    this.translator = translator;
    this.settings = settings;
    this.progress = new ProgressTable(settings.progressTableName());
    this.deadKeys = new DeadLetterKeys(settings.progressTableName());
    this.strategy = strategy;
    this.retry = retry;
    this.deadLetters = deadLetters;
    this.hook = hook;
    this.pauseGate = pauseGate;
  }

  /** A copy that calls {@code newHook} after every data statement (fault injection in tests). */
  public ShardApplier withStatementHook(StatementHook newHook) {
    return new ShardApplier(shardId, dataSource, strictOrderTables, translator, settings, strategy, retry,
        deadLetters, newHook, pauseGate);
  }

  /** A copy that waits at {@code gate} before every transaction (pause/resume of the control API). */
  public ShardApplier withPauseGate(PauseGate gate) {
    return new ShardApplier(shardId, dataSource, strictOrderTables, translator, settings, strategy, retry,
        deadLetters, hook, gate);
  }

  public String shardId() {
    return shardId;
  }

  private static Set<String> strictTables(SessionMapping session) {
    return session.tables().stream()
        .filter(TableMapping::hasUniqueSecondaryIndex)
        .map(t -> t.sourceTable().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The applied position of a partition as MySQL has it now; {@link AppliedPosition#initial} when none. */
  public AppliedPosition position(int partition) throws SQLException {
    ensureProgressTable();
    try (Connection c = dataSource.getConnection()) {
      return progress.read(c, shardId, partition, false).orElse(AppliedPosition.initial(shardId, partition));
    }
  }

  /**
   * Applies {@code changes} (consecutive, in sequence order, all of one partition and epoch) and, with the last
   * batch, records {@code publishedThroughNanos} (0 = unknown). Throws {@link ShardUnavailableException} when
   * retryable failures outlast the retry budget; everything committed before stays committed.
   */
  public ApplyReport apply(int partition, List<SequencedChange> changes, long publishedThroughNanos) {
    ApplyReport.Builder report = new ApplyReport.Builder();
    if (changes.isEmpty()) {
      return report.build();
    }
    ensureProgressTableUnchecked();
    List<PreparedChange> prepared = new ArrayList<>(changes.size());
    for (SequencedChange c : changes) {
      prepared.add(new PreparedChange(c, translator.translate(c.change())));
    }
    Set<ChangePosition> deadLettered = new HashSet<>();
    List<List<PreparedChange>> batches =
        TransactionCutter.cut(prepared, settings.batchSize(), p -> p.change().endOfTransaction());
    for (int i = 0; i < batches.size(); i++) {
      long published = i == batches.size() - 1 ? publishedThroughNanos : 0;
      applyWithRetry(partition, batches.get(i), published, report, deadLettered, true);
    }
    return report.build();
  }

  /**
   * Raises the partition's "published through" time from a progress marker that follows sequence {@code sequence}
   * of {@code epoch}; does nothing unless that sequence is applied. Returns whether the row changed.
   */
  public boolean recordPublishedThrough(int partition, long epoch, long sequence, long publishedThroughNanos) {
    ensureProgressTableUnchecked();
    Retrier r = new Retrier(retry);
    while (true) {
      r.attempted();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        return progress.advancePublishedThrough(
            c, shardId, partition, epoch, sequence, publishedThroughNanos, Instant.now());
      } catch (SQLException e) {
        backOffOrThrow(r, e);
      }
    }
  }

  /**
   * Re-applies one change outside its stream (the reprocess path): its own transaction, no position check and no
   * position update, since the stream has long moved past it.
   */
  public ReapplyOutcome reapply(Change change) {
    ensureProgressTableUnchecked();
    TranslationResult t = translator.translate(change);
    if (t instanceof TranslationResult.Skipped s) {
      return new ReapplyOutcome.NotReplicated(s.reason());
    }
    if (t instanceof TranslationResult.Failed f) {
      return new ReapplyOutcome.Failed("cannot translate: " + f.reason(), 1);
    }
    var row = ((TranslationResult.Translated) t).rowChange();
    Retrier r = new Retrier(retry);
    while (true) {
      r.attempted();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          prepareSession(c);
          if (!deadKeys.claim(c, shardId, change)) {
            c.rollback();
            return new ReapplyOutcome.Superseded();
          }
          for (SqlStatement s : planner(c).plan(List.of(row), this::strict)) {
            execute(c, s);
          }
          c.commit();
          return new ReapplyOutcome.Applied(r.attempts());
        } catch (SQLException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        if (strategy.classify(e) == FailureKind.PERMANENT) {
          return new ReapplyOutcome.Failed(describe(e), r.attempts());
        }
        backOffOrThrow(r, e);
      }
    }
  }

  private void applyWithRetry(
      int partition,
      List<PreparedChange> batch,
      long published,
      ApplyReport.Builder report,
      Set<ChangePosition> deadLettered,
      boolean isolateOnPermanent) {
    Retrier r = new Retrier(retry);
    while (true) {
      awaitResumed();
      r.attempted();
      TxAttempt attempt = attempt(partition, batch, published, deadLettered, r.attempts());
      if (attempt instanceof TxAttempt.Committed c) {
        report.add(c);
        return;
      }
      TxAttempt.Failed f = (TxAttempt.Failed) attempt;
      if (f.kind() == FailureKind.PERMANENT) {
        if (isolateOnPermanent && batch.size() > 1) {
          for (PreparedChange p : batch) {
            applyWithRetry(partition, List.of(p), published, report, deadLettered, false);
          }
        } else {
          // A single change that cannot be applied: dead-letter it, then move the position past it.
          PreparedChange p = batch.get(0);
          if (deadLettered.contains(p.change().change().position())) {
            throw new IllegalStateException(
                "shard " + shardId + ": cannot record the position past a dead-lettered change: "
                    + describe(f.error()), f.error());
          }
          deadLetter(p, "apply failed: " + describe(f.error()), r.attempts(), deadLettered);
          applyWithRetry(partition, batch, published, report, deadLettered, false);
        }
        return;
      }
      report.retries++;
      backOffOrThrow(r, f.error());
    }
  }

  // Paused: stop at this transaction boundary; every committed position stays as it is.
  private void awaitResumed() {
    try {
      pauseGate.awaitResumed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("shard " + shardId + ": interrupted while paused", e);
    }
  }

  private TxAttempt attempt(
      int partition, List<PreparedChange> batch, long published, Set<ChangePosition> deadLettered, int attemptNo) {
    try (Connection c = dataSource.getConnection()) {
      boolean committed = false;
      try {
        c.setAutoCommit(false);
        prepareSession(c);
        AppliedPosition current = lockPosition(c, partition);
        List<PreparedChange> fresh = new ArrayList<>(batch.size());
        for (PreparedChange p : batch) {
          if (!current.covers(p.change().change().position())) {
            fresh.add(p);
          }
        }
        long duplicates = batch.size() - fresh.size();
        if (fresh.isEmpty()) {
          c.rollback();
          committed = true;
          return new TxAttempt.Committed(0, duplicates, 0, 0, current);
        }
        List<dev.reverserepl.common.translate.RowChange> rows = new ArrayList<>(fresh.size());
        long skipped = 0;
        List<Change> appliedChanges = new ArrayList<>(fresh.size());
        List<Change> deadChanges = new ArrayList<>();
        for (PreparedChange p : fresh) {
          TranslationResult t = p.translation();
          if (t instanceof TranslationResult.Translated tr) {
            if (deadLettered.contains(p.change().change().position())) {
              deadChanges.add(p.change().change());
            } else {
              rows.add(tr.rowChange());
              appliedChanges.add(p.change().change());
            }
          } else if (t instanceof TranslationResult.Skipped) {
            skipped++;
          } else {
            deadLetter(p, "cannot translate: " + ((TranslationResult.Failed) t).reason(), attemptNo, deadLettered);
            deadChanges.add(p.change().change());
          }
        }
        long dead = deadChanges.size();
        int n = 0;
        for (SqlStatement s : planner(c).plan(rows, this::strict)) {
          execute(c, s);
          hook.afterStatement(c, ++n);
        }
        recordDeadKeys(c, appliedChanges, deadChanges);
        SequencedChange last = fresh.get(fresh.size() - 1).change();
        AppliedPosition next =
            current
                .advancedTo(last.epoch(), last.sequence(), last.change().position(), rows.size(), Instant.now())
                .withPublishedThroughNanos(Math.max(current.publishedThroughNanos(), published));
        progress.write(c, next);
        c.commit();
        committed = true;
        return new TxAttempt.Committed(rows.size(), duplicates, skipped, dead, next);
      } catch (SQLException e) {
        return new TxAttempt.Failed(strategy.classify(e), e);
      } finally {
        if (!committed) {
          rollbackQuietly(c);
        }
      }
    } catch (SQLException e) {
      return new TxAttempt.Failed(strategy.classify(e), e);
    }
  }

  // Applied and dead-lettered changes of one transaction touch disjoint rows only in the common case; when a row has
  // both, its latest change decides whether it stays listed.
  private void recordDeadKeys(Connection c, List<Change> applied, List<Change> dead) throws SQLException {
    if (!dead.isEmpty()) {
      java.util.Map<String, Change> latest = new java.util.LinkedHashMap<>();
      java.util.Map<String, Boolean> isDead = new java.util.HashMap<>();
      List<Change> all = new ArrayList<>(applied);
      all.addAll(dead);
      all.sort(java.util.Comparator.comparing(Change::position));
      Set<Change> deadSet = new HashSet<>(dead);
      for (Change ch : all) {
        String h = DeadLetterKeys.hash(ch);
        latest.put(h, ch);
        isDead.put(h, deadSet.contains(ch));
      }
      List<Change> clear = new ArrayList<>();
      for (var e : latest.entrySet()) {
        if (isDead.get(e.getKey())) {
          deadKeys.record(c, shardId, e.getValue());
        } else {
          clear.add(e.getValue());
        }
      }
      applied = clear;
    }
    if (!applied.isEmpty() && deadKeys.any(c, shardId)) {
      for (int i = 0; i < applied.size(); i += 1000) {
        deadKeys.clear(c, shardId, applied.subList(i, Math.min(applied.size(), i + 1000)));
      }
    }
  }

  private AppliedPosition lockPosition(Connection c, int partition) throws SQLException {
    var row = progress.read(c, shardId, partition, true);
    if (row.isPresent()) {
      return row.get();
    }
    progress.insertIfMissing(c, shardId, partition);
    return progress.read(c, shardId, partition, true).orElseThrow();
  }

  private void deadLetter(PreparedChange p, String error, int attempts, Set<ChangePosition> deadLettered) {
    ChangePosition pos = p.change().change().position();
    if (deadLettered.add(pos)) {
      deadLetters.write(List.of(DeadLetter.apply(shardId, p.change().change(), error, attempts, Instant.now())));
    }
  }

  private boolean strict(String sourceTable) {
    return strictOrderTables.contains(sourceTable.toLowerCase(Locale.ROOT));
  }

  private StatementPlanner planner(Connection c) throws SQLException {
    StatementPlanner p = planner;
    if (p == null) {
      String version = c.getMetaData().getDatabaseProductVersion();
      p = new StatementPlanner(MySqlDialect.forServerVersion(version), settings.maxRowsPerStatement());
      planner = p;
    }
    return p;
  }

  // Foreign-key checks are off for the apply session: every child change, cascades included, is itself in the
  // stream, and rule 4 of StatementPlanner reorders across tables.
  private static void prepareSession(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION foreign_key_checks = 0");
    }
  }

  private static void execute(Connection c, SqlStatement s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(s.sql())) {
      s.bind(ps);
      ps.executeUpdate();
    }
  }

  private void ensureProgressTableUnchecked() {
    Retrier r = new Retrier(retry);
    while (true) {
      r.attempted();
      try {
        ensureProgressTable();
        return;
      } catch (SQLException e) {
        backOffOrThrow(r, e);
      }
    }
  }

  private void ensureProgressTable() throws SQLException {
    if (progressTableReady) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      progress.createIfMissing(c);
      deadKeys.createIfMissing(c);
    }
    progressTableReady = true;
  }

  private void backOffOrThrow(Retrier r, SQLException e) {
    if (strategy.classify(e) == FailureKind.PERMANENT) {
      throw new IllegalStateException("shard " + shardId + ": " + describe(e), e);
    }
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

  static String describe(SQLException e) {
    return e.getMessage() + " [SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + "]";
  }
}
