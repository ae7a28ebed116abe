package dev.reverserepl.launcher.cutback;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.ShardConnector;
import dev.reverserepl.launcher.operate.WriteBlockingCheck;
import dev.reverserepl.launcher.operate.WriteBlockingReport;
import dev.reverserepl.launcher.operate.WriteGrant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Enforces write blocking on a shard: afterwards only the writer account can write the replicated
 * tables. Rules:
 *
 * <ol>
 *   <li>Every change is recorded in {@code rr_write_block} on the shard before it is made and
 *       marked APPLIED after; {@link #unblock} undoes exactly the recorded changes (GRANT back what
 *       was revoked, {@code read_only} back to its recorded value), newest first, deleting each row
 *       after its undo.
 *   <li>Blocking is idempotent and safe after a crash half-way: a recorded grant that is still
 *       present is revoked again, one already gone is marked APPLIED, and nothing is recorded
 *       twice.
 *   <li>REVOKE works at the levels {@code rr preflight} reports (global, schema, table); since
 *       MySQL applies changed schema and global privileges only to new sessions, the blocked
 *       accounts' open sessions are ended ({@code KILL CONNECTION}). {@code read_only} takes effect
 *       in open sessions at once.
 *   <li>{@link BlockMethod#AUTO} chooses READ_ONLY for a server whose writer account bypasses
 *       {@code read_only} while no other account that can write does, REVOKE otherwise.
 *   <li>Blocking ends with {@link WriteBlockingCheck}; when it does not report the shard blocked,
 *       the result says so (nothing is claimed).
 * </ol>
 */
public final class WriteBlocker {
  private static final Set<String> BYPASS = Set.of("SUPER", "READ ONLY ADMIN", "CONNECTION_ADMIN");

  private final WriteBlockingCheck check;
  private final ShardConnector connector;

  public WriteBlocker(SessionMapping session, ShardConnector connector) {
    this.check = new WriteBlockingCheck(session, connector);
    this.connector = connector;
  }

  public BlockResult block(Shard shard, BlockMethod requested, String writerUser)
      throws SQLException {
    String writer = writerUser == null ? shard.user() : writerUser;
    WriteBlockingReport before = check.check(shard, writer);
    if (!before.reachable()) {
      throw new SQLException(
          "shard "
              + shard.logicalShardId()
              + " ("
              + shard.host()
              + ":"
              + shard.port()
              + ") unreachable: "
              + String.join("; ", before.warnings()));
    }
    try (Connection c = connector.connect(shard)) {
      c.setAutoCommit(true);
      List<WriteBlockTable.Entry> recorded = WriteBlockTable.read(c);
      BlockMethod method =
          recorded.isEmpty() ? resolve(c, requested, writer, before) : recorded.get(0).method();
      int changed = 0;
      int killed = 0;
      if (method == BlockMethod.READ_ONLY) {
        changed = readOnly(c, recorded);
      } else {
        Set<String> users = new HashSet<>();
        changed = revoke(c, recorded, before, users);
        killed = endSessions(c, users);
      }
      WriteBlockingReport after = check.check(shard, writer);
      String detail =
          after.blocked()
              ? "only " + writer + " can write"
              : "still open: "
                  + after.otherWriters().size()
                  + " grant(s); "
                  + String.join("; ", after.warnings());
      return new BlockResult(
          shard.logicalShardId(), method, changed, killed, after.blocked(), detail);
    }
  }

  public BlockResult unblock(Shard shard) throws SQLException {
    try (Connection c = connector.connect(shard)) {
      c.setAutoCommit(true);
      List<WriteBlockTable.Entry> recorded = WriteBlockTable.read(c);
      BlockMethod method = recorded.isEmpty() ? null : recorded.get(0).method();
      int restored = 0;
      for (int i = recorded.size() - 1; i >= 0; i--) {
        WriteBlockTable.Entry e = recorded.get(i);
        try (Statement s = c.createStatement()) {
          if (e.method() == BlockMethod.READ_ONLY) {
            // another shard database of this server still blocked by read_only keeps it on
            if (WriteBlockTable.otherReadOnlyPriors(c).isEmpty()) {
              s.execute(
                  "SET GLOBAL read_only = "
                      + (Boolean.TRUE.equals(e.priorReadOnly()) ? "ON" : "OFF"));
            }
          } else {
            s.execute(
                "GRANT "
                    + e.privileges()
                    + " ON "
                    + on(e.level(), e.schema(), e.table())
                    + " TO "
                    + e.grantee());
            restored++;
          }
        }
        WriteBlockTable.delete(c, e.id());
      }
      return new BlockResult(
          shard.logicalShardId(),
          method,
          restored,
          0,
          false,
          recorded.isEmpty()
              ? "nothing was recorded: writes were not blocked by rr"
              : "restored what was recorded");
    }
  }

  /** True when this shard has recorded, fully applied write blocking and the check confirms it. */
  public boolean isBlocked(Shard shard, String writerUser) throws SQLException {
    try (Connection c = connector.connect(shard)) {
      List<WriteBlockTable.Entry> recorded = WriteBlockTable.read(c);
      if (recorded.isEmpty() || recorded.stream().anyMatch(e -> !e.applied())) {
        return false;
      }
    }
    return check.check(shard, writerUser == null ? shard.user() : writerUser).blocked();
  }

  /**
   * For {@code rr run --require-write-blocking}: the shards (from {@code --sourceShardsFilePath=}
   * and {@code --sessionFilePath=} pipeline options) where write blocking is not in force,
   * comma-separated; empty when every shard is blocked.
   */
  public static String openShards(List<String> pipelineArgs) {
    String shardsFile = option(pipelineArgs, "sourceShardsFilePath");
    String sessionFile = option(pipelineArgs, "sessionFilePath");
    WriteBlocker b = new WriteBlocker(SessionMapping.load(sessionFile), new ShardConnector());
    List<String> open = new java.util.ArrayList<>();
    for (Shard s : dev.reverserepl.common.shards.ShardsFile.load(shardsFile)) {
      try {
        if (!b.isBlocked(s, null)) {
          open.add(s.logicalShardId());
        }
      } catch (SQLException e) {
        open.add(s.logicalShardId() + " (unreachable: " + e.getMessage() + ")");
      }
    }
    return String.join(", ", open);
  }

  private static String option(List<String> args, String name) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    throw new IllegalArgumentException("--require-write-blocking needs --" + name + "=...");
  }

  private BlockMethod resolve(
      Connection c, BlockMethod requested, String writer, WriteBlockingReport report)
      throws SQLException {
    if (requested != BlockMethod.AUTO) {
      return requested;
    }
    Set<String> bypassUsers = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES")) {
      while (rs.next()) {
        if (BYPASS.contains(rs.getString(2).toUpperCase(Locale.ROOT))) {
          bypassUsers.add(rs.getString(1));
        }
      }
    }
    boolean writerBypasses = bypassUsers.stream().anyMatch(g -> userOf(g).equals(writer));
    boolean otherBypasses =
        report.otherWriters().stream().anyMatch(g -> bypassUsers.contains(g.grantee()));
    return writerBypasses && !otherBypasses ? BlockMethod.READ_ONLY : BlockMethod.REVOKE;
  }

  private static int readOnly(Connection c, List<WriteBlockTable.Entry> recorded)
      throws SQLException {
    long id;
    if (recorded.isEmpty()) {
      boolean prior;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@global.read_only")) {
        rs.next();
        prior = rs.getLong(1) != 0;
      }
      // read_only already on because another shard database of this server is blocked: the
      // server's own value is the one that block recorded
      List<Boolean> others = WriteBlockTable.otherReadOnlyPriors(c);
      if (prior && !others.isEmpty()) {
        prior = others.get(0);
      }
      id =
          WriteBlockTable.insert(
              c,
              new WriteBlockTable.Entry(
                  0, BlockMethod.READ_ONLY, null, null, null, null, null, prior, false));
    } else {
      id = recorded.get(0).id();
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET GLOBAL read_only = ON");
    }
    WriteBlockTable.markApplied(c, id);
    return 0;
  }

  private static int revoke(
      Connection c,
      List<WriteBlockTable.Entry> recorded,
      WriteBlockingReport report,
      Set<String> users)
      throws SQLException {
    Set<String> done = new HashSet<>();
    int changed = 0;
    for (WriteGrant g : report.otherWriters()) {
      WriteBlockTable.Entry e =
          new WriteBlockTable.Entry(
              0,
              BlockMethod.REVOKE,
              g.grantee(),
              g.level().name(),
              g.schema(),
              g.table(),
              String.join(", ", g.privileges()),
              null,
              false);
      long id =
          recorded.stream()
              .filter(r -> r.key().equals(e.key()))
              .map(WriteBlockTable.Entry::id)
              .findFirst()
              .orElse(-1L);
      if (id < 0) {
        id = WriteBlockTable.insert(c, e);
      }
      try (Statement s = c.createStatement()) {
        s.execute(
            "REVOKE "
                + e.privileges()
                + " ON "
                + on(e.level(), e.schema(), e.table())
                + " FROM "
                + e.grantee());
      }
      WriteBlockTable.markApplied(c, id);
      done.add(e.key());
      users.add(g.user());
      changed++;
    }
    for (WriteBlockTable.Entry r : recorded) {
      if (!r.applied() && !done.contains(r.key())) {
        WriteBlockTable.markApplied(c, r.id()); // revoked before a crash, not yet marked
      }
      users.add(userOf(r.grantee()));
    }
    return changed;
  }

  private static int endSessions(Connection c, Set<String> users) throws SQLException {
    int n = 0;
    if (users.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT ID, USER FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()");
        ResultSet rs = ps.executeQuery()) {
      List<Long> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        if (users.contains(rs.getString(2))) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        try (Statement s = c.createStatement()) {
          s.execute("KILL CONNECTION " + id);
          n++;
        } catch (SQLException goneAlready) {
          // The session ended on its own between the listing and the kill.
        }
      }
    }
    return n;
  }

  static String on(String level, String schema, String table) {
    return switch (level) {
      case "GLOBAL" -> "*.*";
      case "SCHEMA" -> quote(schema) + ".*";
      default -> quote(schema) + "." + quote(table);
    };
  }

  private static String quote(String id) {
    return "`" + id.replace("`", "``") + "`";
  }

  static String userOf(String grantee) {
    String g = grantee.trim();
    int at = g.lastIndexOf('@');
    String u = at < 0 ? g : g.substring(0, at);
    if (u.length() >= 2
        && (u.startsWith("'") || u.startsWith("`"))
        && u.endsWith(u.substring(0, 1))) {
      u = u.substring(1, u.length() - 1);
    }
    return u;
  }
}
