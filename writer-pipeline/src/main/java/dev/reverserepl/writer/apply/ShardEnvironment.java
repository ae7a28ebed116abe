package dev.reverserepl.writer.apply;

import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ShardStatusTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.sql.LiveSchema;
import dev.reverserepl.common.sql.MySqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What the apply path learns from a shard once, on its first use: the bookkeeping tables exist, the
 * server's dialect, the live schema (generated columns, missing columns, unique secondary indexes;
 * reported once per table when it differs from the session) and so which tables get the guarded,
 * strictly ordered upsert.
 */
final class ShardEnvironment {
  private static final Logger LOG = Logger.getLogger(ShardEnvironment.class.getName());

  private final StatementPlanner planner;
  private final LiveSchema schema;
  private final Set<String> uniqueIndexTables;

  private ShardEnvironment(
      StatementPlanner planner, LiveSchema schema, Set<String> uniqueIndexTables) {
    this.planner = planner;
    this.schema = schema;
    this.uniqueIndexTables = uniqueIndexTables;
  }

  static ShardEnvironment load(
      Connection c,
      String shardId,
      SessionMapping session,
      ApplySettings settings,
      ProgressTable progress,
      DeadLetterKeys deadKeys,
      Optional<ControlTable> control)
      throws SQLException {
    c.setAutoCommit(true);
    progress.createIfMissing(c);
    if (control.isPresent()) {
      control.get().createIfMissing(c);
      control.get().insertIfMissing(c, Instant.now());
    }
    deadKeys.createIfMissing(c);
    new ShardStatusTable(progress).createIfMissing(c);
    MySqlDialect dialect =
        MySqlDialect.forServerVersion(c.getMetaData().getDatabaseProductVersion());
    LiveSchema schema = LiveSchema.read(c);
    for (String line : schema.mismatches(session)) {
      LOG.warning("shard " + shardId + ": " + line);
    }
    Set<String> unique = new HashSet<>();
    for (TableMapping t : session.tables()) {
      if (t.hasUniqueSecondaryIndex() || schema.hasUniqueSecondaryIndex(t.sourceTable())) {
        unique.add(t.sourceTable().toLowerCase(Locale.ROOT));
      }
    }
    return new ShardEnvironment(
        new StatementPlanner(dialect, settings.maxRowsPerStatement()), schema, Set.copyOf(unique));
  }

  StatementPlanner planner() {
    return planner;
  }

  LiveSchema schema() {
    return schema;
  }

  /** Rule 8: the source table has a unique secondary index (in the session or in MySQL). */
  boolean hasUniqueIndex(String sourceTable) {
    return uniqueIndexTables.contains(sourceTable.toLowerCase(Locale.ROOT));
  }

  List<String> mismatches(SessionMapping session) {
    return schema.mismatches(session);
  }
}
