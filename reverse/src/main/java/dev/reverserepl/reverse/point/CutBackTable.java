package dev.reverserepl.reverse.point;

import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The one-row-per-shard table {@code rr_cutback} on each shard: the {@link CommitPoint} and the
 * shard's {@link CutBackPhase}. Kept on the shard, like the progress table, so that every process
 * (the control API, {@code rr commit}, one {@code rr reverse} per shard) reads the same truth.
 * Times are UTC; instants are stored as RFC 3339 text to keep nanoseconds.
 */
public final class CutBackTable {
  public static final String NAME = "rr_cutback";

  private CutBackTable() {}

  public static void createIfMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + NAME
              + " (shard_id VARCHAR(191) NOT NULL PRIMARY KEY,"
              + " phase VARCHAR(20) NOT NULL, spanner_commit VARCHAR(40) NOT NULL, binlog_file VARCHAR(255) NOT NULL,"
              + " binlog_pos BIGINT NOT NULL, gtid TEXT, committed_at DATETIME(6) NOT NULL, flip_start VARCHAR(40),"
              + " updated_at DATETIME(6) NOT NULL) ENGINE=InnoDB");
    }
  }

  public static Optional<CommitPoint> read(Connection c, String shardId) throws SQLException {
    createIfMissing(c);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT phase, spanner_commit, binlog_file, binlog_pos, gtid,"
                + " committed_at, flip_start FROM "
                + NAME
                + " WHERE shard_id = ?")) {
      ps.setString(1, shardId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new CommitPoint(
                shardId,
                CutBackPhase.valueOf(rs.getString(1)),
                Instant.parse(rs.getString(2)),
                new BinlogPosition(rs.getString(3), rs.getLong(4), rs.getString(5)),
                rs.getTimestamp(6).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC),
                Optional.ofNullable(rs.getString(7)).map(Instant::parse)));
      }
    }
  }

  /**
   * Inside a transaction: the shard's phase, read with a lock held until it ends ({@code
   * exclusive}: FOR UPDATE, else LOCK IN SHARE MODE); empty without a record. Never creates the
   * table (DDL would commit the caller's transaction).
   */
  public static Optional<CutBackPhase> lockedPhase(Connection c, String shardId, boolean exclusive)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT phase FROM "
                + NAME
                + " WHERE shard_id = ?"
                + (exclusive ? " FOR UPDATE" : " LOCK IN SHARE MODE"))) {
      ps.setString(1, shardId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(CutBackPhase.valueOf(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** Records (or replaces) the commit point in {@code phase}. */
  public static void write(Connection c, CommitPoint p) throws SQLException {
    createIfMissing(c);
    try (PreparedStatement ps =
        c.prepareStatement(
            "REPLACE INTO "
                + NAME
                + " (shard_id, phase, spanner_commit,"
                + " binlog_file, binlog_pos, gtid, committed_at, flip_start, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, p.shardId());
      ps.setString(2, p.phase().name());
      ps.setString(3, p.spannerCommit().toString());
      ps.setString(4, p.binlog().file());
      ps.setLong(5, p.binlog().position());
      ps.setString(6, p.binlog().gtid());
      ps.setTimestamp(7, utc(p.committedAt()));
      ps.setString(8, p.flipStart().map(Instant::toString).orElse(null));
      ps.setTimestamp(9, utc(Instant.now()));
      ps.executeUpdate();
    }
  }

  public static void setPhase(
      Connection c, String shardId, CutBackPhase phase, Optional<Instant> flipStart)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + NAME
                + " SET phase = ?, flip_start = COALESCE(?, flip_start), updated_at = ? WHERE shard_id = ?")) {
      ps.setString(1, phase.name());
      ps.setString(2, flipStart.map(Instant::toString).orElse(null));
      ps.setTimestamp(3, utc(Instant.now()));
      ps.setString(4, shardId);
      if (ps.executeUpdate() != 1) {
        throw new SQLException(
            "shard " + shardId + " has no cut-back record in " + NAME + " (run rr commit first)");
      }
    }
  }

  public static void clear(Connection c, String shardId) throws SQLException {
    createIfMissing(c);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + NAME + " WHERE shard_id = ?")) {
      ps.setString(1, shardId);
      ps.executeUpdate();
    }
  }

  private static Timestamp utc(Instant i) {
    return Timestamp.valueOf(java.time.LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC));
  }
}
