package dev.reverserepl.launcher.launch;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.preflight.Preflight;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads and checks the shards and session files before anything is created; a dry run reads local
 * files only.
 */
final class LaunchPreflight {
  private LaunchPreflight() {}

  static Optional<LaunchInputs> run(
      LaunchSettings s, boolean dryRun, boolean checkShards, Consumer<String> report) {
    List<Shard> shards = null;
    SessionMapping session = null;
    String shardsFile = s.locations().sourceShardsFilePath();
    String sessionFile = s.locations().sessionFilePath();
    if (dryRun && isRemote(shardsFile)) {
      report.accept("shards file " + shardsFile + ": not read (a dry run contacts nothing)");
    } else {
      shards = Preflight.loadShards(shardsFile, report);
    }
    if (dryRun && isRemote(sessionFile)) {
      report.accept("session file " + sessionFile + ": not read (a dry run contacts nothing)");
    } else {
      session = Preflight.loadSession(sessionFile, report);
    }
    if (!checkShards) {
      report.accept("shard connections: not checked (add --check-shards)");
    } else if (dryRun) {
      report.accept("shard connections: not checked (a dry run contacts nothing)");
    } else {
      Preflight.checkShards(shards, session, report);
    }
    if (shards == null) {
      return Optional.empty();
    }
    List<String> tables =
        session == null
            ? List.of()
            : session.tables().stream().map(TableMapping::spannerTable).toList();
    return Optional.of(
        new LaunchInputs(shards.stream().map(Shard::logicalShardId).toList(), tables));
  }

  static boolean isRemote(String path) {
    return path.startsWith("gs://");
  }
}
