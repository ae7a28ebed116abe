package dev.reverserepl.launcher.cutback;

/** How {@link WriteBlocker} keeps other accounts from writing a shard. */
public enum BlockMethod {
  /**
   * Per server: {@link #READ_ONLY} when the writer account bypasses {@code read_only} and no other
   * account that can write does; otherwise {@link #REVOKE}.
   */
  AUTO,
  /**
   * REVOKE INSERT, UPDATE, DELETE at each level {@code rr preflight} finds (global, schema, table).
   */
  REVOKE,
  /**
   * {@code SET GLOBAL read_only = ON}; only accounts with SUPER / READ ONLY ADMIN /
   * CONNECTION_ADMIN write.
   */
  READ_ONLY
}
