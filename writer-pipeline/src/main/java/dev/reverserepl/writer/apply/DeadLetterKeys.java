package dev.reverserepl.writer.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The rows whose latest change is dead-lettered, kept on the shard next to the progress table
 * ({@code <progress>_dead_keys}) and changed in the same transactions. A later applied change to
 * the same row removes the entry, so reprocessing an old dead letter can never overwrite a newer
 * row image: it is only re-applied while its row is still listed here.
 */
final class DeadLetterKeys {
  private final String table;

  DeadLetterKeys(String progressTableName) {
    this.table = "`" + progressTableName + "_dead_keys`";
  }

  void createIfMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (shard_id VARCHAR(191) NOT NULL, key_hash CHAR(64) NOT NULL,"
              + " spanner_table VARCHAR(255) NOT NULL, key_json TEXT NOT NULL, commit_nanos BIGINT NOT NULL,"
              + " PRIMARY KEY (shard_id, key_hash)) ENGINE=InnoDB");
    }
  }

  /**
   * True when the shard has any dead-lettered row, so that the common case costs one indexed probe.
   */
  boolean any(Connection c, String shardId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + table + " WHERE shard_id = ? LIMIT 1")) {
      ps.setString(1, shardId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  void record(Connection c, String shardId, Change change) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (shard_id, key_hash, spanner_table, key_json, commit_nanos) VALUES (?,?,?,?,?)"
                + " ON DUPLICATE KEY UPDATE commit_nanos = VALUES(commit_nanos)")) {
      ps.setString(1, shardId);
      ps.setString(2, hash(change));
      ps.setString(3, change.table());
      ps.setString(4, change.keysJson());
      ps.setLong(5, change.position().commitNanos());
      ps.executeUpdate();
    }
  }

  void clear(Connection c, String shardId, List<Change> applied) throws SQLException {
    if (applied.isEmpty()) {
      return;
    }
    StringBuilder sql =
        new StringBuilder("DELETE FROM ")
            .append(table)
            .append(" WHERE shard_id = ? AND key_hash IN (");
    for (int i = 0; i < applied.size(); i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
      ps.setString(1, shardId);
      for (int i = 0; i < applied.size(); i++) {
        ps.setString(i + 2, hash(applied.get(i)));
      }
      ps.executeUpdate();
    }
  }

  /**
   * Locks and removes the entry of {@code change}'s row; false when a later change already replaced
   * the row.
   */
  boolean claim(Connection c, String shardId, Change change) throws SQLException {
    String h = hash(change);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT commit_nanos FROM "
                + table
                + " WHERE shard_id = ? AND key_hash = ? FOR UPDATE")) {
      ps.setString(1, shardId);
      ps.setString(2, h);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getLong(1) > change.position().commitNanos()) {
          return false;
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE shard_id = ? AND key_hash = ?")) {
      ps.setString(1, shardId);
      ps.setString(2, h);
      ps.executeUpdate();
    }
    return true;
  }

  static String hash(Change change) {
    String keys;
    try {
      keys = Json.parse(change.keysJson()).toString();
    } catch (JsonProcessingException e) {
      keys = change.keysJson();
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d =
          md.digest(
              (change.table().toLowerCase(Locale.ROOT) + "|" + keys)
                  .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
