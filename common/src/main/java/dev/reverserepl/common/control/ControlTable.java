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
 * The one-row table on every shard that says whether the reverse writer is paused, and whether a
 * writer acknowledged the pause. It lives next to the data so that a pause reaches a writer
 * wherever it runs (Dataflow or local) without any channel but MySQL itself. Times are UTC.
 * Statements run in the caller's transaction mode (autocommit connections commit at once).
 *
 * <p>Every pause request that finds the shard running gets a new {@code pause_id}; an
 * acknowledgement names the id it saw, so an acknowledgement left by a writer of an earlier pause
 * never counts for a later one. The writer's apply transactions read {@code paused} with a shared
 * lock ({@link #notPausedCondition}, {@link #lockedRead}), so the pause statement, which takes the
 * row's exclusive lock, waits for the transactions in flight and every later one sees it.
 */
public final class ControlTable implements Serializable {
  public static final String DEFAULT_NAME = "rr_control";
  private static final int UNKNOWN_COLUMN = 1054;
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
  private static final String[][] ADDED_COLUMNS = {
    {"pause_id", "BIGINT NOT NULL DEFAULT 0"},
    {"ack_pause_id", "BIGINT NOT NULL DEFAULT 0"},
    {"ack_at", "DATETIME(6) NULL"},
    {"ack_by", "VARCHAR(255) NULL"}
  };

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

  /** Creates the table, or adds the acknowledgement columns to one of an older release. */
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
              + " pause_id BIGINT NOT NULL DEFAULT 0,"
              + " ack_pause_id BIGINT NOT NULL DEFAULT 0,"
              + " ack_at DATETIME(6) NULL,"
              + " ack_by VARCHAR(255) NULL,"
              + " PRIMARY KEY (id)) ENGINE=InnoDB");
      for (String[] col : ADDED_COLUMNS) {
        if (!hasColumn(c, col[0])) {
          s.execute("ALTER TABLE " + q() + " ADD COLUMN " + col[0] + " " + col[1]);
          if (col[0].equals("pause_id")) {
            // A pause of the older release becomes pause 1, not yet acknowledged.
            s.execute("UPDATE " + q() + " SET pause_id = 1 WHERE paused");
          }
        }
      }
    }
  }

  /**
   * Inserts the "running" row unless present: a locking read then always finds a row to lock (READ
   * COMMITTED takes no gap locks, so a missing row would not hold a later pause back).
   */
  public void insertIfMissing(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT IGNORE INTO "
                + q()
                + " (id, paused, updated_at, updated_by, pause_id) VALUES (1, FALSE, ?, '', 0)")) {
      ps.setObject(1, utc(now));
      ps.executeUpdate();
    }
  }

  private boolean hasColumn(Connection c, String column) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, tableName);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The control row; empty when the table has no row yet (= not paused). A table of an older
   * release (no acknowledgement columns until the next pause adds them) reads as never
   * acknowledged.
   */
  public Optional<ControlRow> read(Connection c) throws SQLException {
    try {
      return read(c, "pause_id, ack_pause_id, ack_at, ack_by");
    } catch (SQLException e) {
      if (e.getErrorCode() != UNKNOWN_COLUMN) {
        throw e;
      }
      return read(c, "0, 0, NULL, NULL");
    }
  }

  private Optional<ControlRow> read(Connection c, String ackColumns) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT paused, updated_at, updated_by, "
                    + ackColumns
                    + " FROM "
                    + q()
                    + " WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      LocalDateTime ackAt = rs.getObject(6, LocalDateTime.class);
      return Optional.of(
          new ControlRow(
              rs.getBoolean(1),
              rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC),
              rs.getString(3),
              rs.getLong(4),
              rs.getLong(5),
              ackAt == null ? null : ackAt.toInstant(ZoneOffset.UTC),
              rs.getString(7)));
    }
  }

  public boolean isPaused(Connection c) throws SQLException {
    return read(c).map(ControlRow::paused).orElse(false);
  }

  /**
   * Inside an apply transaction: the id of the pause in force (0 = running), read under a shared
   * lock held until the transaction ends.
   */
  public long lockedRead(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT paused, pause_id FROM " + q() + " WHERE id = 1 LOCK IN SHARE MODE");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1) ? Math.max(1, rs.getLong(2)) : 0;
    }
  }

  /**
   * A condition (no parameters) for the WHERE clause of the apply transaction's first statement:
   * true while not paused, reading the row under a shared lock kept until the transaction ends. The
   * lock is taken by the subquery's own locking clause because READ COMMITTED reads the tables of
   * an UPDATE's subquery without locks otherwise.
   */
  public String notPausedCondition() {
    return "(SELECT paused FROM " + q() + " WHERE id = 1 LOCK IN SHARE MODE) = 0";
  }

  /**
   * Sets the flag; {@code by} says who did it (shown by {@code rr status}). A pause of a running
   * shard takes a new pause id; a pause of a paused shard keeps its id (and acknowledgement); a
   * resume clears the acknowledgement.
   */
  public void setPaused(Connection c, boolean paused, Instant now, String by) throws SQLException {
    // pause_id is assigned before paused: single-table assignments are evaluated left to right,
    // so the IF still sees the old flag (and under MariaDB's SIMULTANEOUS_ASSIGNMENT all are old).
    String update =
        paused
            ? " pause_id = IF(paused, pause_id, pause_id + 1), paused = TRUE,"
            : " paused = FALSE, ack_pause_id = 0, ack_at = NULL, ack_by = NULL,";
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + q()
                + " (id, paused, updated_at, updated_by, pause_id) VALUES (1, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE"
                + update
                + " updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)")) {
      ps.setBoolean(1, paused);
      ps.setObject(2, utc(now));
      ps.setString(3, by == null ? "" : by);
      ps.setLong(4, paused ? 1 : 0);
      ps.executeUpdate();
    }
  }

  /**
   * Records that writer {@code by} waits at a transaction boundary under pause {@code pauseId};
   * does nothing (and returns false) once that pause is lifted or replaced.
   */
  public boolean acknowledge(Connection c, long pauseId, Instant now, String by)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + q()
                + " SET ack_pause_id = ?, ack_at = ?, ack_by = ? WHERE id = 1 AND paused AND"
                + " pause_id = ?")) {
      ps.setLong(1, pauseId);
      ps.setObject(2, utc(now));
      ps.setString(3, by);
      ps.setLong(4, pauseId);
      return ps.executeUpdate() > 0;
    }
  }

  private static LocalDateTime utc(Instant i) {
    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  /**
   * The control row's content. {@code ackPauseId}, {@code ackAt}, {@code ackBy}: the pause the
   * writer last acknowledged, when and which writer (0 and null when none since the last resume).
   */
  public record ControlRow(
      boolean paused,
      Instant updatedAt,
      String updatedBy,
      long pauseId,
      long ackPauseId,
      Instant ackAt,
      String ackBy) {

    /** Whether the pause in force was acknowledged by a writer. */
    public PauseState state() {
      if (!paused) {
        return PauseState.RUNNING;
      }
      return pauseId > 0 && ackPauseId == pauseId ? PauseState.PAUSED : PauseState.PAUSE_REQUESTED;
    }
  }
}
