package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;

/**
 * What blocking (or unblocking) did on one shard: the method in force, how many grants were revoked
 * (restored), how many sessions of blocked accounts were ended, and whether only the writer can
 * write now.
 */
public record BlockResult(
    String shardId,
    BlockMethod method,
    int grantsChanged,
    int sessionsEnded,
    boolean blocked,
    String detail) {
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("shardId", shardId);
    o.put("method", method == null ? null : method.name());
    o.put("grantsChanged", grantsChanged);
    o.put("sessionsEnded", sessionsEnded);
    o.put("blocked", blocked);
    o.put("detail", detail);
    return o;
  }
}
