package dev.reverserepl.launcher.preflight;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Connects to one shard and checks what the writer will need: the server accepts writes
 * ({@code @@read_only = 0}), every table the session maps exists, and the shard's user may insert,
 * update and delete in each of them. Write permission is probed with statements that touch no row
 * ({@code WHERE 1=0}) inside a transaction that is rolled back: MySQL checks privileges before it
 * looks for rows, so a missing grant fails the probe while data is never changed.
 */
public final class ShardCheck {
  /** ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR. */
  private static final Set<Integer> ACCESS_DENIED = Set.of(1142, 1143);

  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private ShardCheck() {}

  /** Problems found on the shard; empty when it is ready. Connection failures are problems too. */
  public static List<String> problems(Shard shard, SessionMapping session) {
    String where =
        "shard '"
            + shard.logicalShardId()
            + "' ("
            + shard.host()
            + ":"
            + shard.port()
            + "/"
            + shard.dbName()
            + ", user "
            + shard.user()
            + ")";
    if (shard.password() == null && shard.secretManagerUri() != null) {
      return List.of(
          where
              + ": password is in Secret Manager ("
              + shard.secretManagerUri()
              + "); --check-shards needs it in the shards file");
    }
    List<String> problems = new ArrayList<>();
    try (Connection c = connect(shard)) {
      if (readOnly(c)) {
        problems.add(
            where + ": server is read-only (@@read_only = 1); the writer cannot apply changes");
      }
      Set<String> present = tables(c);
      List<TableMapping> mapped = new ArrayList<>(session.tables());
      List<String> missing =
          mapped.stream()
              .map(TableMapping::sourceTable)
              .filter(t -> !present.contains(t.toLowerCase(Locale.ROOT)))
              .collect(Collectors.toList());
      if (!missing.isEmpty()) {
        problems.add(
            where + ": session table(s) missing in the database: " + String.join(", ", missing));
      }
      for (TableMapping t : mapped) {
        if (present.contains(t.sourceTable().toLowerCase(Locale.ROOT))) {
          probeWrites(c, t).ifPresent(p -> problems.add(where + ": " + p));
        }
      }
    } catch (SQLException e) {
      problems.add(
          where + ": cannot connect: " + dev.reverserepl.launcher.operate.ShardError.cause(e));
    }
    return problems;
  }

  private static Connection connect(Shard shard) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", shard.user());
    if (shard.password() != null) {
      p.setProperty("password", shard.password());
    }
    p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS));
    DriverManager.setLoginTimeout(CONNECT_TIMEOUT_MS / 1000);
    return DriverManager.getConnection(shard.jdbcUrl(), p);
  }

  private static boolean readOnly(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@read_only")) {
      rs.next();
      return rs.getInt(1) != 0;
    }
  }

  private static Set<String> tables(Connection c) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  private static java.util.Optional<String> probeWrites(Connection c, TableMapping t)
      throws SQLException {
    String table = quote(t.sourceTable());
    List<String> keys = t.sourcePrimaryKey().stream().map(ShardCheck::quote).toList();
    String keyList = String.join(", ", keys);
    String setKeys = keys.stream().map(k -> k + " = " + k).collect(Collectors.joining(", "));
    List<String[]> probes =
        List.of(
            new String[] {
              "INSERT",
              "INSERT INTO "
                  + table
                  + " ("
                  + keyList
                  + ") SELECT "
                  + keyList
                  + " FROM "
                  + table
                  + " WHERE 1 = 0"
            },
            new String[] {"UPDATE", "UPDATE " + table + " SET " + setKeys + " WHERE 1 = 0"},
            new String[] {"DELETE", "DELETE FROM " + table + " WHERE 1 = 0"});
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    List<String> denied = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      for (String[] probe : probes) {
        try {
          s.executeUpdate(probe[1]);
        } catch (SQLException e) {
          if (!ACCESS_DENIED.contains(e.getErrorCode())) {
            throw e;
          }
          denied.add(probe[0]);
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
    return denied.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            "user may not "
                + String.join(", ", denied)
                + " on table "
                + t.sourceTable()
                + " (grant INSERT, UPDATE, DELETE)");
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
