package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The comparison of one table on one shard. {@code expectedRows}/{@code mysqlRows} are the row
 * counts on each side; {@code matching + different + missing == expectedRows} and {@code matching +
 * different + extra == mysqlRows}. {@code resolvedOnRecheck} counts differences that were gone when
 * re-checked after the delay (in-flight changes); they count as matching. {@code details} holds at
 * most the first {@code Verifier} detail limit of differences.
 */
public record TableResult(
    String spannerTable,
    String sourceTable,
    String shardId,
    long expectedRows,
    long mysqlRows,
    long matching,
    long missing,
    long extra,
    long different,
    long resolvedOnRecheck,
    List<RowDiff> details) {

  public TableResult {
    details = List.copyOf(details);
  }

  public boolean matches() {
    return missing == 0 && extra == 0 && different == 0;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("table", spannerTable);
    o.put("sourceTable", sourceTable);
    o.put("shard", shardId);
    o.put("status", matches() ? "MATCH" : "MISMATCH");
    o.put("expectedRows", expectedRows);
    o.put("mysqlRows", mysqlRows);
    o.put("matching", matching);
    o.put("missing", missing);
    o.put("extra", extra);
    o.put("different", different);
    o.put("resolvedOnRecheck", resolvedOnRecheck);
    ArrayNode d = o.putArray("details");
    details.forEach(x -> d.add(x.toJson()));
    return o;
  }

  static TableResult fromJson(JsonNode o) {
    List<RowDiff> details = new ArrayList<>();
    for (JsonNode d : o.path("details")) {
      LinkedHashMap<String, String[]> cols = new LinkedHashMap<>();
      d.path("columns")
          .fields()
          .forEachRemaining(
              e ->
                  cols.put(
                      e.getKey(),
                      new String[] {
                        e.getValue().path("expected").asText(null),
                        e.getValue().path("actual").asText(null)
                      }));
      details.add(
          new RowDiff(RowDiff.Kind.valueOf(d.get("kind").asText()), d.get("key").asText(), cols));
    }
    return new TableResult(
        o.get("table").asText(),
        o.get("sourceTable").asText(),
        o.get("shard").asText(),
        o.get("expectedRows").asLong(),
        o.get("mysqlRows").asLong(),
        o.get("matching").asLong(),
        o.get("missing").asLong(),
        o.get("extra").asLong(),
        o.get("different").asLong(),
        o.get("resolvedOnRecheck").asLong(),
        details);
  }
}
