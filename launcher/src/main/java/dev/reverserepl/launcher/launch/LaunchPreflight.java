package dev.reverserepl.launcher.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads and checks the shards and session files before anything is created. */
final class LaunchPreflight {
  private LaunchPreflight() {}

  static Optional<LaunchInputs> run(LaunchSettings s, boolean dryRun, boolean checkShards, Consumer<String> report) {
    boolean shardsRemote = isRemote(s.sourceShardsFilePath());
    boolean sessionRemote = isRemote(s.sessionFilePath());
    List<String> shardIds = null;
    List<String> tables = List.of();
    if (dryRun && shardsRemote) {
      report.accept("shards file " + s.sourceShardsFilePath() + ": not read (a dry run contacts nothing)");
    } else {
      shardIds = shardIds(s.sourceShardsFilePath());
      report.accept("shards file " + s.sourceShardsFilePath() + ": " + shardIds.size() + " shard(s) "
          + String.join(", ", shardIds));
    }
    if (dryRun && sessionRemote) {
      report.accept("session file " + s.sessionFilePath() + ": not read (a dry run contacts nothing)");
    } else {
      tables = sessionTables(s.sessionFilePath());
      report.accept("session file " + s.sessionFilePath() + ": " + tables.size() + " table(s) "
          + String.join(", ", tables));
    }
    if (!checkShards) {
      report.accept("shard connections: not checked (add --check-shards)");
    } else if (dryRun) {
      report.accept("shard connections: not checked (a dry run contacts nothing)");
    }
    return shardIds == null ? Optional.empty() : Optional.of(new LaunchInputs(shardIds, tables));
  }

  static boolean isRemote(String path) {
    return path.startsWith("gs://");
  }

  // interim readers until the common loaders are available
  private static List<String> shardIds(String path) {
    JsonNode root = read(path);
    List<String> ids = new ArrayList<>();
    for (JsonNode n : root) {
      ids.add(n.path("logicalShardId").asText());
    }
    return ids;
  }

  private static List<String> sessionTables(String path) {
    JsonNode root = read(path);
    List<String> names = new ArrayList<>();
    root.path("SpSchema").forEach(t -> names.add(t.path("Name").asText()));
    return names;
  }

  private static JsonNode read(String path) {
    try {
      return Json.parse(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new ConfigException(path, "", "", "cannot read: " + e.getMessage(), e);
    }
  }
}
