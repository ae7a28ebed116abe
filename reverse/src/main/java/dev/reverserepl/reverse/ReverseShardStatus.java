package dev.reverserepl.reverse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.time.Instant;
import java.util.Optional;

/**
 * What one shard's reverse reader has done in this process: the binlog position applied through,
 * the source commit time of the last applied transaction, counts, whether it is paused, and the
 * error it stopped with.
 */
public record ReverseShardStatus(
    String shardId,
    String state,
    Optional<BinlogPosition> applied,
    Optional<Instant> lastSourceCommit,
    long transactions,
    long rows,
    long duplicatesSkipped,
    long deadLettered,
    boolean paused,
    Optional<String> error) {

  public static ReverseShardStatus starting(String shardId) {
    return new ReverseShardStatus(
        shardId,
        "STARTING",
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        0,
        0,
        false,
        Optional.empty());
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("state", state);
    o.put("appliedBinlogPosition", applied.map(BinlogPosition::toString).orElse(null));
    o.put("lastSourceCommit", lastSourceCommit.map(Instant::toString).orElse(null));
    o.put("transactions", transactions);
    o.put("rows", rows);
    o.put("duplicatesSkipped", duplicatesSkipped);
    o.put("deadLettered", deadLettered);
    o.put("paused", paused);
    o.put("error", error.orElse(null));
    return o;
  }
}
