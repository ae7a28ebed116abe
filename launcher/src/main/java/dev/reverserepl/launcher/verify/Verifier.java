package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.ShardConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proves (or disproves) that every shard holds what Spanner (or a change-record file) says it
 * should. Per table and shard: stream both sides in primary-key order and pair rows by key ({@link
 * TableComparison}), then read every difference again after {@link VerifySettings#recheckDelay()}
 * so that changes still in flight are not reported. Values are compared through the writer's own
 * conversion ({@link ColumnCodec}).
 *
 * <p>Rules: (1) equal data reports MATCH; (2) a difference is reported only if it is still there at
 * the re-check; (3) a table/shard that cannot be read is an error, never a match; (4) with a state
 * file, completed pairs are not read again.
 */
public final class Verifier {
  private final SessionMapping session;
  private final List<Shard> shards;
  private final VerifySettings settings;
  private final ShardConnector connector;
  private final MySqlValueConverter converter;

  public Verifier(SessionMapping session, List<Shard> shards, VerifySettings settings) {
    this.session = session;
    this.shards = List.copyOf(shards);
    this.settings = settings;
    this.connector = new ShardConnector();
    this.converter = new MySqlValueConverter(settings.sourceOffset());
  }

  /** Expected state = what the change records imply (built in memory). */
  public VerificationReport verifyChanges(String changesPath) {
    try (ChangesExpected expected =
        ChangesExpected.load(
            changesPath, session, shards, converter, settings.shardIdFetcherClass())) {
      return verify(expected, expected.ignored());
    }
  }

  /** Expected state = the Spanner database at {@code target}'s read timestamp, streamed. */
  public VerificationReport verifySpanner(SpannerTarget target) {
    try (SpannerExpected expected = SpannerExpected.open(target, converter, settings.chunkSize())) {
      return verify(expected, Map.of());
    }
  }

  VerificationReport verify(ExpectedSource expected, Map<String, Long> ignored) {
    Instant started = Instant.now();
    VerifyState state = VerifyState.open(settings.stateFile(), expected.describe());
    List<TableResult> results = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (TableMapping table : session.tables()) {
      TableShape shape = TableShape.of(table);
      for (Shard shard : shards) {
        TableResult done = state.completed(table.spannerTable(), shard.logicalShardId());
        if (done != null) {
          results.add(done);
          continue;
        }
        try {
          TableResult r = compare(expected, shape, shard);
          state.complete(r);
          results.add(r);
        } catch (SQLException | VerifyException e) {
          errors.put(
              VerifyState.key(table.spannerTable(), shard.logicalShardId()),
              dev.reverserepl.launcher.operate.ShardError.line(shard, e));
        }
      }
    }
    return new VerificationReport(
        expected.describe(), started, Instant.now(), results, errors, ignored);
  }

  private TableResult compare(ExpectedSource expected, TableShape shape, Shard shard)
      throws SQLException {
    String shardId = shard.logicalShardId();
    try (Connection c = connector.connect(shard)) {
      prepare(c);
      TableComparison cmp = new TableComparison(shape, settings.maxRecheck());
      cmp.run(expected.rows(shape, shardId), new MySqlRows(c, shape, settings.chunkSize()));
      long missing = cmp.unrecheckedMissing;
      long extra = cmp.unrecheckedExtra;
      long different = cmp.unrecheckedDifferent;
      long resolved = 0;
      List<RowDiff> details = new ArrayList<>();
      if (!cmp.candidates.isEmpty() && !settings.recheckDelay().isZero()) {
        sleep();
      }
      for (TableComparison.Candidate cand : cmp.candidateList()) {
        Optional<CanonicalRow> e = expected.lookup(shape, shardId, cand.row());
        Optional<CanonicalRow> a = MySqlRows.lookup(c, shape, cand.row());
        RowDiff d;
        if (e.isEmpty() && a.isEmpty()) {
          d = null;
        } else if (e.isEmpty()) {
          d = new RowDiff(RowDiff.Kind.EXTRA, cand.row().keyText(), Map.of());
        } else if (a.isEmpty()) {
          d = new RowDiff(RowDiff.Kind.MISSING, cand.row().keyText(), Map.of());
        } else {
          Map<String, String[]> cols = cmp.diff(e.get(), a.get());
          d =
              cols.isEmpty()
                  ? null
                  : new RowDiff(RowDiff.Kind.DIFFERENT, cand.row().keyText(), cols);
        }
        if (d == null) {
          resolved++;
          continue;
        }
        switch (d.kind()) {
          case MISSING -> missing++;
          case EXTRA -> extra++;
          case DIFFERENT -> different++;
        }
        if (details.size() < settings.maxDetails()) {
          details.add(d);
        }
      }
      return new TableResult(
          shape.table().spannerTable(),
          shape.table().sourceTable(),
          shardId,
          cmp.expectedRows,
          cmp.mysqlRows,
          cmp.matching + resolved,
          missing,
          extra,
          different,
          resolved,
          details);
    }
  }

  private void prepare(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      // Timestamp columns are shown in the offset the writer converted them to.
      s.execute("SET time_zone = '" + converter.sessionTimeZone() + "'");
    }
  }

  private void sleep() {
    try {
      Thread.sleep(settings.recheckDelay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerifyException("interrupted before the re-check", e);
    }
  }
}
