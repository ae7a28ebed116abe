package dev.reverserepl.launcher.operate;

import java.util.List;
import java.util.Locale;

/**
 * One grant that lets {@code grantee} ({@code 'user'@'host'}) write a replicated table: at {@code
 * GLOBAL} level ({@code *.*}), {@code SCHEMA} level ({@code db.*}, possibly a wildcard pattern) or
 * {@code TABLE} level. {@code privileges} is the subset of INSERT, UPDATE, DELETE held.
 */
public record WriteGrant(
    String grantee, Level level, String schema, String table, List<String> privileges) {
  public enum Level {
    GLOBAL,
    SCHEMA,
    TABLE
  }

  public WriteGrant {
    privileges = List.copyOf(privileges);
  }

  /** The user part of {@code 'user'@'host'}. */
  public String user() {
    return userOf(grantee);
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

  /** The statement an operator would run to take this write access away. */
  public String revokeStatement() {
    String on =
        switch (level) {
          case GLOBAL -> "*.*";
          case SCHEMA -> quote(schema) + ".*";
          case TABLE -> quote(schema) + "." + quote(table);
        };
    return "REVOKE " + String.join(", ", privileges) + " ON " + on + " FROM " + grantee + ";";
  }

  private static String quote(String id) {
    return "`" + id.replace("`", "``") + "`";
  }

  static boolean isWritePrivilege(String privilege) {
    String p = privilege.toUpperCase(Locale.ROOT);
    return p.equals("INSERT") || p.equals("UPDATE") || p.equals("DELETE");
  }
}
