package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import java.util.List;

/**
 * Which way the run replicates: {@code source} is {@code spanner://project/instance/database} (or
 * the change-record path of a replay), {@code destination} one {@code mysql://<logicalShardId>} per
 * shard. Holds no credentials.
 */
public record DirectionMapping(String source, List<String> destination) {
  public DirectionMapping {
    destination = List.copyOf(destination);
  }

  /**
   * {@code spannerOrPath}: {@code project/instance/db} becomes a spanner:// URI; anything with a
   * scheme stays.
   */
  public static DirectionMapping of(String spannerOrPath, List<Shard> shards) {
    String src =
        spannerOrPath == null
            ? "unknown"
            : spannerOrPath.contains("://")
                ? spannerOrPath
                : spannerOrPath.split("/").length == 3
                    ? "spanner://" + spannerOrPath
                    : "file://" + spannerOrPath;
    return new DirectionMapping(
        src, shards.stream().map(s -> "mysql://" + s.logicalShardId()).toList());
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("source", source);
    destination.forEach(o.putArray("destination")::add);
    return o;
  }
}
