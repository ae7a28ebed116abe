package dev.reverserepl.reverse.apply;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ReadContext;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import dev.reverserepl.reverse.ReverseException;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The Spanner table holding, per shard, how far the reverse direction has applied that shard's
 * binlog. It is written in the same read-write transaction as the mutations, so Spanner itself says
 * what is in. It has no source table in the session file, so the forward direction skips its
 * changes even without the transaction tag.
 */
public final class ReversePositionTable {
  public static final String DEFAULT_NAME = "rr_reverse_position";
  static final List<String> COLUMNS =
      List.of(
          "shard_id",
          "binlog_file",
          "binlog_pos",
          "gtid",
          "applied_rows",
          "applied_transactions",
          "dead_lettered",
          "source_committed_at",
          "spanner_commit_ts");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

  private final String name;

  public ReversePositionTable(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "position table name must match " + NAME.pattern() + ": " + name);
    }
    this.name = name;
  }

  public String name() {
    return name;
  }

  public String ddl() {
    return "CREATE TABLE "
        + name
        + " (shard_id STRING(255) NOT NULL, binlog_file STRING(255) NOT NULL,"
        + " binlog_pos INT64 NOT NULL, gtid STRING(MAX), applied_rows INT64 NOT NULL,"
        + " applied_transactions INT64 NOT NULL, dead_lettered INT64 NOT NULL, source_committed_at TIMESTAMP,"
        + " spanner_commit_ts TIMESTAMP OPTIONS (allow_commit_timestamp=true)) PRIMARY KEY (shard_id)";
  }

  /** Creates the table when the database has none of that name. */
  public void createIfMissing(
      DatabaseClient db, DatabaseAdminClient admin, String instance, String database) {
    try (ResultSet rs =
        db.singleUse()
            .executeQuery(
                Statement.newBuilder(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '' AND table_name = @t")
                    .bind("t")
                    .to(name)
                    .build())) {
      rs.next();
      if (rs.getLong(0) > 0) {
        return;
      }
    }
    try {
      admin.updateDatabaseDdl(instance, database, List.of(ddl()), null).get();
    } catch (ExecutionException e) {
      throw new ReverseException(
          "cannot create the Spanner table "
              + name
              + " in "
              + instance
              + "/"
              + database
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReverseException("interrupted while creating " + name, e);
    }
  }

  public Optional<ReversePosition> read(ReadContext ctx, String shardId) {
    Struct r = ctx.readRow(name, Key.of(shardId), COLUMNS);
    return Optional.ofNullable(r).map(this::position);
  }

  public List<ReversePosition> readAll(ReadContext ctx) {
    List<ReversePosition> out = new ArrayList<>();
    try (ResultSet rs = ctx.read(name, com.google.cloud.spanner.KeySet.all(), COLUMNS)) {
      while (rs.next()) {
        out.add(position(rs.getCurrentRowAsStruct()));
      }
    }
    return out;
  }

  Mutation write(ReversePosition p) {
    return Mutation.newInsertOrUpdateBuilder(name)
        .set("shard_id")
        .to(p.shardId())
        .set("binlog_file")
        .to(p.applied().file())
        .set("binlog_pos")
        .to(p.applied().position())
        .set("gtid")
        .to(p.applied().gtid())
        .set("applied_rows")
        .to(p.appliedRows())
        .set("applied_transactions")
        .to(p.appliedTransactions())
        .set("dead_lettered")
        .to(p.deadLettered())
        .set("source_committed_at")
        .to(p.sourceCommittedAt().orElse(null))
        .set("spanner_commit_ts")
        .to(Value.COMMIT_TIMESTAMP)
        .build();
  }

  private ReversePosition position(Struct r) {
    return new ReversePosition(
        r.getString("shard_id"),
        new BinlogPosition(
            r.getString("binlog_file"),
            r.getLong("binlog_pos"),
            r.isNull("gtid") ? "" : r.getString("gtid")),
        r.getLong("applied_rows"),
        r.getLong("applied_transactions"),
        r.getLong("dead_lettered"),
        r.isNull("source_committed_at")
            ? Optional.empty()
            : Optional.of(r.getTimestamp("source_committed_at")),
        r.isNull("spanner_commit_ts")
            ? Optional.empty()
            : Optional.of(r.getTimestamp("spanner_commit_ts")));
  }

  static Timestamp toTimestamp(java.time.Instant i) {
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }
}
