package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, per shard, whether accounts other than the reverse writer can write the replicated tables
 * while Spanner is primary. Reads {@code @@read_only}, {@code @@super_read_only} (MySQL only) and
 * the INSERT/UPDATE/DELETE grants at global, schema (wildcards honoured) and table level from
 * {@code information_schema}. It never changes a grant. Rules:
 *
 * <ol>
 *   <li>The writer is every account whose user name is the writer user (any host).
 *   <li>With {@code read_only} on, only accounts holding SUPER, READ ONLY ADMIN (MariaDB) or
 *       CONNECTION_ADMIN (MySQL) can still write; with {@code super_read_only} on, nobody can (the
 *       writer included).
 *   <li>The checking account must see other accounts' grants (SELECT on {@code mysql.user}); when
 *       it cannot, the shard is reported as not verified instead of blocked.
 *   <li>The server's internal accounts (mysql.sys, mysql.session, mysql.infoschema, mariadb.sys)
 *       are ignored. Grants received through roles are not followed.
 * </ol>
 */
public final class WriteBlockingCheck {
  private static final Set<String> INTERNAL =
      Set.of("mysql.sys", "mysql.session", "mysql.infoschema", "mariadb.sys");
  private static final Set<String> BYPASS = Set.of("SUPER", "READ ONLY ADMIN", "CONNECTION_ADMIN");
  private static final String WRITE_PRIVS = "('INSERT','UPDATE','DELETE')";

  private final SessionMapping session;
  private final ShardConnector connector;

  public WriteBlockingCheck(SessionMapping session, ShardConnector connector) {
    this.session = session;
    this.connector = connector;
  }

  /** {@code writerUser} null means the shard's own user from the shards file. */
  public WriteBlockingReport check(Shard shard, String writerUser) {
    String writer = writerUser == null ? shard.user() : writerUser;
    try (Connection c = connector.connect(shard)) {
      c.setAutoCommit(true);
      return inspect(c, shard, writer);
    } catch (SQLException e) {
      return WriteBlockingReport.unreachable(
          shard.logicalShardId(), writer, ShardError.line(shard, e));
    }
  }

  private WriteBlockingReport inspect(Connection c, Shard shard, String writer)
      throws SQLException {
    List<String> warnings = new ArrayList<>();
    boolean readOnly = queryBoolean(c, "SELECT @@read_only");
    Boolean superReadOnly;
    try {
      superReadOnly = queryBoolean(c, "SELECT @@super_read_only");
    } catch (SQLException mariaDbHasNone) {
      superReadOnly = null;
    }
    if (!canSeeAllGrants(c)) {
      warnings.add(
          "cannot see other accounts' grants: "
              + shard.user()
              + " needs SELECT on mysql.user (or run preflight with an administrative account)");
    }
    Set<String> tables = new HashSet<>();
    for (TableMapping t : session.tables()) {
      tables.add(t.sourceTable().toLowerCase(Locale.ROOT));
    }
    List<WriteGrant> grants = writeGrants(c, shard.dbName(), tables);
    Set<String> bypass =
        grantees(
            c, "SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES", BYPASS);

    List<WriteGrant> others = new ArrayList<>();
    boolean writerWrites = false;
    boolean writerBypasses = false;
    for (WriteGrant g : grants) {
      String user = g.user();
      if (user.equals(writer)) {
        writerWrites = true;
        continue;
      }
      if (INTERNAL.contains(user)) {
        continue;
      }
      boolean canWrite =
          Boolean.TRUE.equals(superReadOnly) ? false : !readOnly || bypass.contains(g.grantee());
      if (canWrite) {
        others.add(g);
      }
    }
    for (String g : bypass) {
      writerBypasses |= WriteGrant.userOf(g).equals(writer);
    }
    boolean writerCanWrite =
        writerWrites && !Boolean.TRUE.equals(superReadOnly) && (!readOnly || writerBypasses);
    if (!writerWrites) {
      warnings.add(
          "writer user " + writer + " has no INSERT/UPDATE/DELETE grant on the replicated tables");
    } else if (Boolean.TRUE.equals(superReadOnly)) {
      warnings.add("super_read_only is ON: the writer cannot write either");
    } else if (readOnly && !writerBypasses) {
      warnings.add(
          "read_only is ON and writer user "
              + writer
              + " lacks SUPER / READ ONLY ADMIN / CONNECTION_ADMIN: the writer cannot write");
    }
    return new WriteBlockingReport(
        shard.logicalShardId(),
        true,
        readOnly,
        superReadOnly,
        writer,
        writerCanWrite,
        others,
        warnings);
  }

  private static List<WriteGrant> writeGrants(Connection c, String db, Set<String> tables)
      throws SQLException {
    // grantee|level|schema|table -> privileges, in a stable order
    Map<String, TreeSet<String>> privs = new LinkedHashMap<>();
    Map<String, WriteGrant> shape = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                    + " WHERE PRIVILEGE_TYPE IN "
                    + WRITE_PRIVS
                    + " ORDER BY GRANTEE")) {
      while (rs.next()) {
        add(
            privs,
            shape,
            new WriteGrant(rs.getString(1), WriteGrant.Level.GLOBAL, null, null, List.of()),
            rs.getString(2));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
                + " WHERE PRIVILEGE_TYPE IN "
                + WRITE_PRIVS
                + " AND ? LIKE TABLE_SCHEMA ORDER BY GRANTEE")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          add(
              privs,
              shape,
              new WriteGrant(
                  rs.getString(1), WriteGrant.Level.SCHEMA, rs.getString(2), null, List.of()),
              rs.getString(3));
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES"
                + " WHERE PRIVILEGE_TYPE IN "
                + WRITE_PRIVS
                + " AND TABLE_SCHEMA = ? ORDER BY GRANTEE, TABLE_NAME")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (tables.contains(rs.getString(3).toLowerCase(Locale.ROOT))) {
            add(
                privs,
                shape,
                new WriteGrant(
                    rs.getString(1),
                    WriteGrant.Level.TABLE,
                    rs.getString(2),
                    rs.getString(3),
                    List.of()),
                rs.getString(4));
          }
        }
      }
    }
    List<WriteGrant> out = new ArrayList<>();
    shape.forEach(
        (k, g) ->
            out.add(
                new WriteGrant(
                    g.grantee(),
                    g.level(),
                    g.schema(),
                    g.table(),
                    privs.get(k).stream().sorted(WriteBlockingCheck::privilegeOrder).toList())));
    return out;
  }

  private static void add(
      Map<String, TreeSet<String>> privs,
      Map<String, WriteGrant> shape,
      WriteGrant g,
      String privilege) {
    String key = g.grantee() + "|" + g.level() + "|" + g.schema() + "|" + g.table();
    shape.putIfAbsent(key, g);
    privs.computeIfAbsent(key, k -> new TreeSet<>()).add(privilege.toUpperCase(Locale.ROOT));
  }

  private static int privilegeOrder(String a, String b) {
    List<String> order = List.of("INSERT", "UPDATE", "DELETE");
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }

  private static Set<String> grantees(Connection c, String sql, Set<String> privileges)
      throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (privileges.contains(rs.getString(2).toUpperCase(Locale.ROOT))) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static boolean canSeeAllGrants(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM mysql.user LIMIT 1")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean queryBoolean(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1) != 0;
    }
  }
}
