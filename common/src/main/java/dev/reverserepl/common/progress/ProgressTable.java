package dev.reverserepl.common.progress;

import dev.reverserepl.common.change.ChangePosition;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The small table on every shard that records, per {@code (shard_id, partition_no)}, the {@link
 * AppliedPosition}. The writer updates it in the same transaction as the rows, so after any crash
 * MySQL itself says exactly which changes are in. {@code updated_at} is UTC.
 *
 * <p>None of the methods commit; the caller owns the transaction.
 *
 * <p>{@code complete_commit_nanos} (see {@link AppliedPosition#completeCommitNanos()}) was added
 * after the first release: {@link #createIfMissing} adds it to a table that lacks it, filled with
 * {@code commit_nanos} (the old writer's meaning).
 */
public final class ProgressTable implements Serializable {
  public static final String DEFAULT_NAME = "rr_applied_position";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
  private static final String COLUMNS =
      "shard_id, partition_no, epoch, sequence_no, commit_nanos, server_txn_id, record_sequence, mod_index,"
          + " applied_count, published_through_nanos, updated_at, complete_commit_nanos";
  private static final String PLACEHOLDERS = "(?,?,?,?,?,?,?,?,?,?,?,?)";

  private final String tableName;

  public ProgressTable(String tableName) {
    if (tableName == null || !NAME.matcher(tableName).matches()) {
      throw new IllegalArgumentException(
          "progress table name must match "
              + NAME.pattern()
              + " (it is used unquoted-safe in SQL): "
              + tableName);
    }
    this.tableName = tableName;
  }

  public String tableName() {
    return tableName;
  }

  private String q() {
    return "`" + tableName + "`";
  }

  public void createIfMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + q()
              + " ("
              + "shard_id VARCHAR(191) NOT NULL,"
              + " partition_no INT NOT NULL,"
              + " epoch BIGINT NOT NULL,"
              + " sequence_no BIGINT NOT NULL,"
              + " commit_nanos BIGINT NOT NULL,"
              + " server_txn_id VARCHAR(255) NOT NULL,"
              + " record_sequence BIGINT NOT NULL,"
              + " mod_index INT NOT NULL,"
              + " applied_count BIGINT NOT NULL,"
              + " published_through_nanos BIGINT NOT NULL,"
              + " updated_at DATETIME(6) NOT NULL,"
              + " complete_commit_nanos BIGINT NOT NULL,"
              + " PRIMARY KEY (shard_id, partition_no)) ENGINE=InnoDB");
      if (!hasColumn(c, "complete_commit_nanos")) {
        s.execute(
            "ALTER TABLE " + q() + " ADD COLUMN complete_commit_nanos BIGINT NOT NULL DEFAULT 0");
        s.execute("UPDATE " + q() + " SET complete_commit_nanos = commit_nanos");
      }
    }
  }

  private boolean hasColumn(Connection c, String column) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                + " DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, tableName);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Inserts the initial row of a stream unless present, so that a following locking read always
   * finds a row and two concurrent writers serialise on it instead of racing to insert it.
   */
  public void insertIfMissing(Connection c, String shardId, int partition) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT IGNORE INTO " + q() + " (" + COLUMNS + ") VALUES " + PLACEHOLDERS)) {
      bind(ps, AppliedPosition.initial(shardId, partition));
      ps.executeUpdate();
    }
  }

  public Optional<AppliedPosition> read(
      Connection c, String shardId, int partition, boolean forUpdate) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + q()
                + " WHERE shard_id = ? AND partition_no = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      ps.setString(1, shardId);
      ps.setInt(2, partition);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  public List<AppliedPosition> readAll(Connection c) throws SQLException {
    List<AppliedPosition> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + q() + " ORDER BY shard_id, partition_no");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  /** Inserts or replaces the row of {@code p}'s stream. */
  public void write(Connection c, AppliedPosition p) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + q()
                + " ("
                + COLUMNS
                + ") VALUES "
                + PLACEHOLDERS
                + " ON DUPLICATE KEY UPDATE"
                + " epoch = VALUES(epoch), sequence_no = VALUES(sequence_no), commit_nanos = VALUES(commit_nanos),"
                + " server_txn_id = VALUES(server_txn_id), record_sequence = VALUES(record_sequence),"
                + " mod_index = VALUES(mod_index), applied_count = VALUES(applied_count),"
                + " published_through_nanos = VALUES(published_through_nanos), updated_at = VALUES(updated_at),"
                + " complete_commit_nanos = VALUES(complete_commit_nanos)")) {
      bind(ps, p);
      ps.executeUpdate();
    }
  }

  /**
   * Moves the row from {@code expected} to {@code next} only if it still holds {@code expected}'s
   * position, and returns whether it did. Run first in a transaction, it takes the row lock and
   * checks the position in one round trip instead of a locking read plus a write; {@code
   * published_through_nanos} only ever rises, because progress markers raise it outside the apply
   * transactions.
   */
  public boolean advanceIfAt(Connection c, AppliedPosition expected, AppliedPosition next)
      throws SQLException {
    return advanceIfAt(c, expected, next, null);
  }

  /**
   * As {@link #advanceIfAt(Connection, AppliedPosition, AppliedPosition)}, and only while {@code
   * condition} (a parameterless SQL condition, e.g. the pause check of {@code ControlTable}; null
   * for none) holds, in the same round trip.
   */
  public boolean advanceIfAt(
      Connection c, AppliedPosition expected, AppliedPosition next, String condition)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + q()
                + " SET epoch = ?, sequence_no = ?, commit_nanos = ?, server_txn_id = ?,"
                + " record_sequence = ?, mod_index = ?, applied_count = ?,"
                + " published_through_nanos = GREATEST(published_through_nanos, ?), updated_at = ?,"
                + " complete_commit_nanos = ? WHERE shard_id = ? AND partition_no = ? AND epoch = ?"
                + " AND sequence_no = ? AND commit_nanos = ? AND server_txn_id = ? AND record_sequence = ?"
                + " AND mod_index = ? AND applied_count = ?"
                + (condition == null ? "" : " AND " + condition))) {
      ChangePosition n = next.position();
      ChangePosition e = expected.position();
      ps.setLong(1, next.epoch());
      ps.setLong(2, next.sequence());
      ps.setLong(3, n.commitNanos());
      ps.setString(4, n.serverTransactionId());
      ps.setLong(5, n.recordSequence());
      ps.setInt(6, n.modIndex());
      ps.setLong(7, next.appliedCount());
      ps.setLong(8, next.publishedThroughNanos());
      ps.setObject(9, utc(next.updatedAt()));
      ps.setLong(10, next.completeCommitNanos());
      ps.setString(11, expected.shardId());
      ps.setInt(12, expected.partition());
      ps.setLong(13, expected.epoch());
      ps.setLong(14, expected.sequence());
      ps.setLong(15, e.commitNanos());
      ps.setString(16, e.serverTransactionId());
      ps.setLong(17, e.recordSequence());
      ps.setInt(18, e.modIndex());
      ps.setLong(19, expected.appliedCount());
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Raises {@code published_through_nanos} of a stream whose applied sequence in {@code epoch} has
   * reached {@code sequence}: a progress marker only counts once everything before it is in.
   * Returns whether the row changed.
   */
  public boolean advancePublishedThrough(
      Connection c,
      String shardId,
      int partition,
      long epoch,
      long sequence,
      long publishedThroughNanos,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + q()
                + " SET published_through_nanos = ?, updated_at = ? WHERE shard_id = ? AND partition_no = ?"
                + " AND epoch = ? AND sequence_no >= ? AND published_through_nanos < ?")) {
      ps.setLong(1, publishedThroughNanos);
      ps.setObject(2, utc(now));
      ps.setString(3, shardId);
      ps.setInt(4, partition);
      ps.setLong(5, epoch);
      ps.setLong(6, sequence);
      ps.setLong(7, publishedThroughNanos);
      return ps.executeUpdate() > 0;
    }
  }

  private static void bind(PreparedStatement ps, AppliedPosition p) throws SQLException {
    ChangePosition pos = p.position();
    ps.setString(1, p.shardId());
    ps.setInt(2, p.partition());
    ps.setLong(3, p.epoch());
    ps.setLong(4, p.sequence());
    ps.setLong(5, pos.commitNanos());
    ps.setString(6, pos.serverTransactionId());
    ps.setLong(7, pos.recordSequence());
    ps.setInt(8, pos.modIndex());
    ps.setLong(9, p.appliedCount());
    ps.setLong(10, p.publishedThroughNanos());
    ps.setObject(11, utc(p.updatedAt()));
    ps.setLong(12, p.completeCommitNanos());
  }

  // DATETIME carries no zone: store UTC wall-clock explicitly so the session time zone never shifts
  // it.
  private static LocalDateTime utc(Instant i) {
    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static AppliedPosition row(ResultSet rs) throws SQLException {
    return new AppliedPosition(
        rs.getString(1),
        rs.getInt(2),
        rs.getLong(3),
        rs.getLong(4),
        new ChangePosition(rs.getLong(5), rs.getString(6), rs.getLong(7), rs.getInt(8)),
        rs.getLong(9),
        rs.getLong(10),
        rs.getObject(11, LocalDateTime.class).toInstant(ZoneOffset.UTC),
        rs.getLong(12));
  }
}
