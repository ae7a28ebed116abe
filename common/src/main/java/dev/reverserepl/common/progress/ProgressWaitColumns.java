package dev.reverserepl.common.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The waiting state of a stream, kept in three nullable columns of its progress row ({@code
 * waiting_epoch, waiting_for_seq, waiting_since} — UTC): set by the writer when a stream has waited
 * for a missing sequence longer than its gap limit, cleared when the gap fills. Separate from
 * {@link ProgressTable} on purpose: the columns are added to existing tables in place and nothing
 * of the applied position depends on them. All statements single statements; none commits.
 */
public final class ProgressWaitColumns {
  private static final int DUPLICATE_COLUMN = 1060;
  private final ProgressTable table;

  public ProgressWaitColumns(ProgressTable table) {
    this.table = table;
  }

  private String q() {
    return "`" + table.tableName() + "`";
  }

  /**
   * Adds the columns to the (existing) progress table unless present; safe when two writers race.
   */
  public void addIfMissing(Connection c) throws SQLException {
    if (present(c)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "ALTER TABLE "
              + q()
              + " ADD COLUMN waiting_epoch BIGINT NULL, ADD COLUMN waiting_for_seq BIGINT NULL,"
              + " ADD COLUMN waiting_since DATETIME(6) NULL");
    } catch (SQLException e) {
      if (e.getErrorCode() != DUPLICATE_COLUMN) {
        throw e;
      }
    }
  }

  /** True when the progress table has the columns (older writers did not add them). */
  public boolean present(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
                + " AND COLUMN_NAME = 'waiting_for_seq'")) {
      ps.setString(1, table.tableName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Records {@code w} in its stream's row (creating the initial row when the stream has none yet).
   */
  public void mark(Connection c, StreamWait w) throws SQLException {
    table.insertIfMissing(c, w.shardId(), w.partition());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + q()
                + " SET waiting_epoch = ?, waiting_for_seq = ?, waiting_since = ? WHERE shard_id = ? AND partition_no = ?")) {
      ps.setLong(1, w.epoch());
      ps.setLong(2, w.missingSequence());
      ps.setObject(3, LocalDateTime.ofInstant(w.since(), ZoneOffset.UTC));
      ps.setString(4, w.shardId());
      ps.setInt(5, w.partition());
      ps.executeUpdate();
    }
  }

  public void clear(Connection c, String shardId, int partition) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + q()
                + " SET waiting_epoch = NULL, waiting_for_seq = NULL, waiting_since = NULL"
                + " WHERE shard_id = ? AND partition_no = ?")) {
      ps.setString(1, shardId);
      ps.setInt(2, partition);
      ps.executeUpdate();
    }
  }

  /**
   * The waiting streams of {@code shardId}; empty when none or when the table has no such columns
   * yet. A wait the row's own position has passed (a replaced writer applied the sequence) is over
   * and not returned.
   */
  public List<StreamWait> read(Connection c, String shardId) throws SQLException {
    List<StreamWait> out = new ArrayList<>();
    if (!present(c)) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT partition_no, waiting_epoch, waiting_for_seq, waiting_since"
                + " FROM "
                + q()
                + " WHERE shard_id = ? AND waiting_for_seq IS NOT NULL"
                + " AND (epoch < waiting_epoch OR (epoch = waiting_epoch AND sequence_no < waiting_for_seq))"
                + " ORDER BY partition_no")) {
      ps.setString(1, shardId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StreamWait(
                  shardId,
                  rs.getInt(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
        }
      }
    }
    return out;
  }
}
