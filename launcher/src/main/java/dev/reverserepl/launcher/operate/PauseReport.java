package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per shard whether its writer acknowledged the pause (shards-file order), and the shards that
 * could not be read (shard id → one-line error). {@link #allStopped} only when every shard was read
 * and is {@code PAUSED}.
 */
public record PauseReport(Map<String, ShardPause> shards, Map<String, String> unreachable) {
  public static final PauseReport NONE = new PauseReport(Map.of(), Map.of());

  public PauseReport {
    shards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shards));
    unreachable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unreachable));
  }

  public boolean allStopped() {
    return unreachable.isEmpty()
        && !shards.isEmpty()
        && shards.values().stream().allMatch(ShardPause::stopped);
  }

  /** {@code allStopped} and {@code shards.<id>} ({@code pauseState}, ... or {@code error}). */
  public void writeTo(ObjectNode o) {
    o.put("allStopped", allStopped());
    ObjectNode byShard = o.putObject("shards");
    shards.forEach((id, p) -> p.writeTo(byShard.putObject(id)));
    unreachable.forEach((id, e) -> byShard.putObject(id).put("error", e));
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    writeTo(o);
    return o;
  }
}
