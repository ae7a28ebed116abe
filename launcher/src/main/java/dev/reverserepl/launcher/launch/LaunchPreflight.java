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
    if (dryRun && isRemote(s.sourceShardsFilePath())) {
      report.accept(
          "shards file " + s.sourceShardsFilePath() + ": not read (a dry run contacts nothing)");
    } else {
      shards = Preflight.loadShards(s.sourceShardsFilePath(), report);
    }
    if (dryRun && isRemote(s.sessionFilePath())) {
      report.accept(
          "session file " + s.sessionFilePath() + ": not read (a dry run contacts nothing)");
    } else {
      session = Preflight.loadSession(s.sessionFilePath(), report);
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
