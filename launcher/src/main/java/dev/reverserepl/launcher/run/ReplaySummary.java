package dev.reverserepl.launcher.run;

import dev.reverserepl.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay did, counted in row changes (mods): every change read ends up exactly once as
 * filtered (forward-migration traffic), skipped (a table the session maps as Spanner-only), skipped
 * as unknown (a table the session does not know: {@code unknownTables} names each with its count),
 * applied, skipped as a duplicate (already applied earlier), or dead-lettered — so {@code read ==
 * filtered + skippedTables + unknownTableChanges + applied + duplicatesSkipped + deadLettered}.
 */
public record ReplaySummary(
    long read,
    long filtered,
    long skippedTables,
    Map<String, Long> unknownTables,
    long applied,
    long duplicatesSkipped,
    long deadLettered,
    Map<String, ShardCounts> shards) {

  public record ShardCounts(long applied, long deadLettered) {}

  public ReplaySummary {
    unknownTables = java.util.Collections.unmodifiableMap(new TreeMap<>(unknownTables));
    shards = new TreeMap<>(shards);
  }

  /** Changes of tables the session does not know. */
  public long unknownTableChanges() {
    return unknownTables.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The summary's one-line JSON form, the last line {@code rr replay} prints. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read", read);
    m.put("filtered", filtered);
    m.put("skippedTables", skippedTables);
    m.put("unknownTableChanges", unknownTableChanges());
    m.put("unknownTables", unknownTables);
    m.put("applied", applied);
    m.put("duplicatesSkipped", duplicatesSkipped);
    m.put("deadLettered", deadLettered);
    Map<String, Object> s = new LinkedHashMap<>();
    shards.forEach(
        (id, c) -> {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("applied", c.applied());
          one.put("deadLettered", c.deadLettered());
          s.put(id, one);
        });
    m.put("shards", s);
    return Json.write(m);
  }

  /**
   * Changes that are neither applied, filtered, skipped, unknown, duplicate nor dead-lettered: must
   * be zero.
   */
  public long unaccounted() {
    return read
        - filtered
        - skippedTables
        - unknownTableChanges()
        - applied
        - duplicatesSkipped
        - deadLettered;
  }
}
