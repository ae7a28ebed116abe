package dev.reverserepl.launcher.cutback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code rr_write_block} on each shard: exactly what write blocking changed, one row per
 * revoked grant or one row for {@code read_only} (with the value it had). A row is written ({@code
 * RECORDED}) before the change and marked {@code APPLIED} after it, so a crash half-way leaves
 * enough to finish or undo.
 */
final class WriteBlockTable {
  static final String NAME = "rr_write_block";

  /** One recorded change. {@code privileges} is e.g. {@code INSERT, UPDATE, DELETE}. */
  record Entry(
      long id,
      BlockMethod method,
      String grantee,
      String level,
      String schema,
      String table,
      String privileges,
      Boolean priorReadOnly,
      boolean applied) {
    String key() {
      return method + "|" + grantee + "|" + level + "|" + schema + "|" + table;
    }
  }

  private WriteBlockTable() {}

  static void createIfMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + NAME
              + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
              + " method VARCHAR(16) NOT NULL, grantee VARCHAR(400), grant_level VARCHAR(16), schema_name VARCHAR(200),"
              + " table_name VARCHAR(200), privileges VARCHAR(100), prior_read_only TINYINT, state VARCHAR(16) NOT NULL,"
              + " created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB");
    }
  }

  static List<Entry> read(Connection c) throws SQLException {
    createIfMissing(c);
    List<Entry> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, method, grantee, grant_level,"
                    + " schema_name, table_name, privileges, prior_read_only, state FROM "
                    + NAME
                    + " ORDER BY id")) {
      while (rs.next()) {
        long pro = rs.getLong(8);
        Boolean prior = rs.wasNull() ? null : pro != 0;
        out.add(
            new Entry(
                rs.getLong(1),
                BlockMethod.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                prior,
                "APPLIED".equals(rs.getString(9))));
      }
    }
    return out;
  }

  /**
   * The earlier {@code read_only} values recorded by read_only blocks in the server's other
   * databases. {@code read_only} is one switch per server, shared by every shard database on it:
   * the first block records the server's own value, and only the last unblock may restore it.
   */
  static List<Boolean> otherReadOnlyPriors(Connection c) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_schema FROM information_schema.tables"
                + " WHERE table_name = ? AND table_schema <> DATABASE()")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          schemas.add(rs.getString(1));
        }
      }
    }
    List<Boolean> priors = new ArrayList<>();
    for (String schema : schemas) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT prior_read_only FROM `"
                  + schema.replace("`", "``")
                  + "`."
                  + NAME
                  + " WHERE method = ? ORDER BY id")) {
        ps.setString(1, BlockMethod.READ_ONLY.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            priors.add(rs.getInt(1) != 0);
          }
        }
      }
    }
    return priors;
  }

  static long insert(Connection c, Entry e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + NAME
                + " (method, grantee, grant_level,"
                + " schema_name, table_name, privileges, prior_read_only, state) VALUES (?,?,?,?,?,?,?,'RECORDED')",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, e.method().name());
      ps.setString(2, e.grantee());
      ps.setString(3, e.level());
      ps.setString(4, e.schema());
      ps.setString(5, e.table());
      ps.setString(6, e.privileges());
      if (e.priorReadOnly() == null) {
        ps.setNull(7, java.sql.Types.TINYINT);
      } else {
        ps.setInt(7, e.priorReadOnly() ? 1 : 0);
      }
      ps.executeUpdate();
      try (ResultSet k = ps.getGeneratedKeys()) {
        k.next();
        return k.getLong(1);
      }
    }
  }

  static void markApplied(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE " + NAME + " SET state = 'APPLIED' WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + NAME + " WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }
}
