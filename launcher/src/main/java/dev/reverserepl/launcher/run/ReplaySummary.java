package dev.reverserepl.launcher.run;

import dev.reverserepl.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay did, counted in row changes (mods): every change read ends up exactly once as filtered
 * (forward-migration traffic), skipped (table not in the source), applied, skipped as a duplicate (already applied
 * earlier), or dead-lettered — so {@code read == filtered + skippedTables + applied + duplicatesSkipped +
 * deadLettered}.
 */
public record ReplaySummary(
    long read,
    long filtered,
    long skippedTables,
    long applied,
    long duplicatesSkipped,
    long deadLettered,
    Map<String, ShardCounts> shards) {

  public record ShardCounts(long applied, long deadLettered) {}

  public ReplaySummary {
    shards = new TreeMap<>(shards);
  }

  /** The summary's one-line JSON form, the last line {@code rr replay} prints. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read", read);
    m.put("filtered", filtered);
    m.put("skippedTables", skippedTables);
    m.put("applied", applied);
    m.put("duplicatesSkipped", duplicatesSkipped);
    m.put("deadLettered", deadLettered);
    Map<String, Object> s = new LinkedHashMap<>();
    shards.forEach((id, c) -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("applied", c.applied());
      one.put("deadLettered", c.deadLettered());
      s.put(id, one);
    });
    m.put("shards", s);
    return Json.write(m);
  }

  /** Changes that are neither applied, filtered, skipped, duplicate nor dead-lettered: must be zero. */
  public long unaccounted() {
    return read - filtered - skippedTables - applied - duplicatesSkipped - deadLettered;
  }
}
