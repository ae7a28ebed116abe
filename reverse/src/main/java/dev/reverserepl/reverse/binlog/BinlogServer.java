package dev.reverserepl.reverse.binlog;

import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.reverse.ReverseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a shard's server says about its binary log. Rules:
 *
 * <ol>
 *   <li>{@link #currentPosition} reads {@code SHOW MASTER STATUS}, falling back to {@code SHOW
 *       BINARY LOG STATUS} (MySQL 8.4 removed the former), and the GTID position
 *       ({@code @@gtid_binlog_pos} on MariaDB, {@code @@gtid_executed} on MySQL). A server without
 *       a binary log is a {@link ReverseException}.
 *   <li>{@link #requireReadableFrom} fails, naming the shard and host:port, unless {@code log_bin}
 *       is on, {@code binlog_format} is {@code ROW} and {@code binlog_row_image} is {@code FULL},
 *       and the file of the position is still listed by {@code SHOW BINARY LOGS} (not purged).
 * </ol>
 */
public final class BinlogServer {
  private BinlogServer() {}

  public static BinlogPosition currentPosition(Connection c, Shard shard) throws SQLException {
    String file = null;
    long pos = 0;
    for (String sql : List.of("SHOW MASTER STATUS", "SHOW BINARY LOG STATUS")) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        if (rs.next()) {
          file = rs.getString(1);
          pos = rs.getLong(2);
        }
        break;
      } catch (SQLException e) {
        if (sql.startsWith("SHOW BINARY")) {
          throw e;
        }
      }
    }
    if (file == null) {
      throw new ReverseException(
          where(shard)
              + ": the server writes no binary log (start it with log-bin and"
              + " binlog_format=ROW)");
    }
    return new BinlogPosition(file, pos, gtid(c));
  }

  private static String gtid(Connection c) {
    for (String sql : List.of("SELECT @@gtid_binlog_pos", "SELECT @@gtid_executed")) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        if (rs.next()) {
          String g = rs.getString(1);
          return g == null ? "" : g.replace("\n", "");
        }
      } catch (SQLException notThisServer) {
        // MariaDB has gtid_binlog_pos, MySQL gtid_executed.
      }
    }
    return "";
  }

  public static void requireReadableFrom(Connection c, Shard shard, BinlogPosition from)
      throws SQLException {
    String logBin = variable(c, "log_bin");
    if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
      throw new ReverseException(
          where(shard)
              + ": log_bin is "
              + logBin
              + "; the reverse direction reads the"
              + " binary log (start the server with log-bin and binlog_format=ROW)");
    }
    String format = variable(c, "binlog_format");
    if (!"ROW".equalsIgnoreCase(format)) {
      throw new ReverseException(
          where(shard)
              + ": binlog_format is "
              + format
              + ", the reverse direction needs ROW"
              + " (SET GLOBAL binlog_format = 'ROW' before the commit, and restart applications' sessions)");
    }
    String image = variable(c, "binlog_row_image");
    if (image != null && !"FULL".equalsIgnoreCase(image)) {
      throw new ReverseException(
          where(shard)
              + ": binlog_row_image is "
              + image
              + ", the reverse direction needs"
              + " FULL (every column of every changed row)");
    }
    List<String> files = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(rs.getString(1));
      }
    }
    if (!files.contains(from.file())) {
      throw new ReverseException(
          where(shard)
              + ": binary log "
              + from.file()
              + " (position "
              + from.position()
              + ") has been purged; the oldest available is "
              + (files.isEmpty() ? "none" : files.get(0))
              + ". The changes since the commit point are gone: reverse cannot continue without a new migration");
    }
  }

  private static String variable(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
      return rs.next() ? rs.getString(2).toUpperCase(Locale.ROOT) : null;
    }
  }

  public static String where(Shard shard) {
    return "shard " + shard.logicalShardId() + " (" + shard.host() + ":" + shard.port() + ")";
  }
}
