package dev.reverserepl.common.progress;

import java.io.Serializable;
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
 * {@code <progress>_status} on every shard: one row per stream that is blocked by a fault of the
 * shard, written in its own autocommit statement while the writer waits (never in an apply
 * transaction, which is rolled back), deleted when the stream applies again. Best effort by nature:
 * a shard that refuses every write may refuse this one too, so the writer also logs and counts the
 * block.
 */
public final class ShardStatusTable implements Serializable {
  private static final int MAX_MESSAGE = 1000;
  private final String tableName;

  public ShardStatusTable(ProgressTable progress) {
    this.tableName = progress.tableName() + "_status";
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
              + " (shard_id VARCHAR(191) NOT NULL, partition_no INT NOT NULL,"
              + " blocked_since DATETIME(6) NOT NULL, attempts BIGINT NOT NULL, error_code INT NOT NULL,"
              + " sql_state VARCHAR(16) NOT NULL, reason VARCHAR(255) NOT NULL, message VARCHAR("
              + MAX_MESSAGE
              + ")"
              + " NOT NULL, updated_at DATETIME(6) NOT NULL, PRIMARY KEY (shard_id, partition_no)) ENGINE=InnoDB");
    }
  }

  public void write(Connection c, BlockedStatus b) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + q()
                + " (shard_id, partition_no, blocked_since,"
                + " attempts, error_code, sql_state, reason, message, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
                + " ON DUPLICATE KEY UPDATE attempts = VALUES(attempts), error_code = VALUES(error_code),"
                + " sql_state = VALUES(sql_state), reason = VALUES(reason), message = VALUES(message),"
                + " updated_at = VALUES(updated_at)")) {
      ps.setString(1, b.shardId());
      ps.setInt(2, b.partition());
      ps.setObject(3, LocalDateTime.ofInstant(b.since(), ZoneOffset.UTC));
      ps.setLong(4, b.attempts());
      ps.setInt(5, b.errorCode());
      ps.setString(6, b.sqlState());
      ps.setString(7, b.reason());
      String m = b.message();
      ps.setString(8, m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m);
      ps.setObject(9, LocalDateTime.ofInstant(b.updatedAt(), ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  public void clear(Connection c, String shardId, int partition) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + q() + " WHERE shard_id = ? AND partition_no = ?")) {
      ps.setString(1, shardId);
      ps.setInt(2, partition);
      ps.executeUpdate();
    }
  }

  /** Every blocked stream of {@code shardId}, by partition; empty when the table does not exist. */
  public List<BlockedStatus> read(Connection c, String shardId) throws SQLException {
    List<BlockedStatus> out = new ArrayList<>();
    try (PreparedStatement exists =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.TABLES WHERE"
                + " TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      exists.setString(1, tableName);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return out;
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT partition_no, blocked_since, attempts, error_code,"
                + " sql_state, reason, message, updated_at FROM "
                + q()
                + " WHERE shard_id = ? ORDER BY partition_no")) {
      ps.setString(1, shardId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new BlockedStatus(
                  shardId,
                  rs.getInt(1),
                  rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                  rs.getLong(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getObject(8, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
        }
      }
    }
    return out;
  }
}
