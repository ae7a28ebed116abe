package dev.reverserepl.launcher.preflight;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks run before anything is created. Rules (README, "launch"):
 *
 * <ol>
 *   <li>P1: the shards file parses and every logicalShardId is a valid subscription name (shards
 *       file rules).
 *   <li>P2: the session file parses and maps at least one table.
 *   <li>P3: with {@code --check-shards}, every shard accepts a connection and {@code @@read_only}
 *       is 0.
 *   <li>P4: with {@code --check-shards}, every table the session maps exists in every shard.
 *   <li>P5: with {@code --check-shards}, the shard's user may INSERT, UPDATE and DELETE in every
 *       mapped table.
 * </ol>
 *
 * All shards are checked before failing, so one run lists every problem.
 */
public final class Preflight {
  private Preflight() {}

  public static List<Shard> loadShards(String path, Consumer<String> report) {
    List<Shard> shards = ShardsFile.load(path);
    report.accept(
        "shards file "
            + path
            + ": "
            + shards.size()
            + " shard(s) "
            + String.join(", ", shards.stream().map(Shard::logicalShardId).toList()));
    return shards;
  }

  public static SessionMapping loadSession(String path, Consumer<String> report) {
    SessionMapping session = SessionMapping.load(path);
    if (session.tables().isEmpty()) {
      throw new ConfigException(
          path, "", "SpSchema", "the session maps no table to the source database");
    }
    report.accept(
        "session file "
            + path
            + ": "
            + session.tables().size()
            + " table(s) "
            + String.join(
                ", ", session.tables().stream().map(TableMapping::spannerTable).toList()));
    return session;
  }

  /** Checks every shard; throws one {@link PreflightException} listing all problems found. */
  public static void checkShards(
      List<Shard> shards, SessionMapping session, Consumer<String> report) {
    List<String> problems = new ArrayList<>();
    for (Shard shard : shards) {
      List<String> found = ShardCheck.problems(shard, session);
      if (found.isEmpty()) {
        report.accept(
            "shard '"
                + shard.logicalShardId()
                + "': writable, "
                + session.tables().size()
                + " session table(s) present and writable");
      }
      problems.addAll(found);
    }
    if (!problems.isEmpty()) {
      throw new PreflightException("shard check failed:\n  " + String.join("\n  ", problems));
    }
  }
}
