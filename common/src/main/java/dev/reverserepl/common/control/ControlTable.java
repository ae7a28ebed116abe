package dev.reverserepl.common.control;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one-row table on every shard that says whether the reverse writer is paused. It lives next to
 * the data so that a pause reaches a writer wherever it runs (Dataflow or local) without any
 * channel but MySQL itself. {@code updated_at} is UTC. Statements run in the caller's transaction
 * mode (autocommit connections commit at once).
 */
public final class ControlTable implements Serializable {
  public static final String DEFAULT_NAME = "rr_control";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");

  private final String tableName;

  public ControlTable() {
    this(DEFAULT_NAME);
  }

  public ControlTable(String tableName) {
    if (tableName == null || !NAME.matcher(tableName).matches()) {
      throw new IllegalArgumentException(
          "control table name must match " + NAME.pattern() + ": " + tableName);
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
              + "id TINYINT NOT NULL,"
              + " paused BOOLEAN NOT NULL,"
              + " updated_at DATETIME(6) NOT NULL,"
              + " updated_by VARCHAR(255) NOT NULL,"
              + " PRIMARY KEY (id)) ENGINE=InnoDB");
    }
  }

  /** The control row; empty when the table has no row yet (= not paused). */
  public Optional<ControlRow> read(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT paused, updated_at, updated_by FROM " + q() + " WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new ControlRow(
              rs.getBoolean(1),
              rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC),
              rs.getString(3)));
    }
  }

  public boolean isPaused(Connection c) throws SQLException {
    return read(c).map(ControlRow::paused).orElse(false);
  }

  /** Sets the flag; {@code by} says who did it (shown by {@code rr status}). */
  public void setPaused(Connection c, boolean paused, Instant now, String by) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + q()
                + " (id, paused, updated_at, updated_by) VALUES (1, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE paused = VALUES(paused), updated_at = VALUES(updated_at),"
                + " updated_by = VALUES(updated_by)")) {
      ps.setBoolean(1, paused);
      ps.setObject(2, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setString(3, by == null ? "" : by);
      ps.executeUpdate();
    }
  }

  /** The control row's content. */
  public record ControlRow(boolean paused, Instant updatedAt, String updatedBy) {}
}
