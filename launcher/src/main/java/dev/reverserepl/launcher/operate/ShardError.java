package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.shards.Shard;
import java.util.ArrayList;
import java.util.List;

/**
 * One line for an error reaching a shard: {@code shard <id> at <host>:<port>: <cause>}, where the
 * cause is the first line of each distinct message down the exception chain (drivers put the useful
 * part, e.g. "Connection refused", at the bottom, and spread their own over several lines). Stack
 * traces are for {@code --debug}.
 */
public final class ShardError {
  private ShardError() {}

  public static String line(Shard shard, Throwable e) {
    return where(shard) + ": " + cause(e);
  }

  /** {@code shard <id> at <host>:<port>}. */
  public static String where(Shard shard) {
    return "shard " + shard.logicalShardId() + " at " + shard.host() + ":" + shard.port();
  }

  /**
   * The distinct first lines of the messages down the chain, joined by ": "; never more than one
   * line.
   */
  public static String cause(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e;
        t != null && parts.size() < 6;
        t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      String first =
          m == null || m.isBlank()
              ? t.getClass().getSimpleName()
              : m.strip().lines().findFirst().orElse("");
      // Wrappers often repeat their cause as "pkg.Class: message".
      boolean repeated = parts.stream().anyMatch(p -> p.contains(first) || first.endsWith(p));
      if (!repeated && !(t.getCause() != null && m != null && m.equals(t.getCause().toString()))) {
        parts.add(first);
      }
    }
    return String.join(": ", parts);
  }
}
