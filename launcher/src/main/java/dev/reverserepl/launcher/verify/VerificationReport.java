package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The verifier's result: one {@link TableResult} per table and shard, the pairs that could not be
 * read ({@code errors}: "table@shard" → message), and the changes the expectation left out ({@code
 * --changes} mode).
 */
public record VerificationReport(
    String source,
    Instant startedAt,
    Instant finishedAt,
    List<TableResult> tables,
    Map<String, String> errors,
    Map<String, Long> ignoredChanges) {

  public VerificationReport {
    tables = List.copyOf(tables);
    errors = Map.copyOf(errors);
    ignoredChanges = Map.copyOf(ignoredChanges);
  }

  /** True when every table/shard matched and none failed to read. */
  public boolean matches() {
    return errors.isEmpty() && tables.stream().allMatch(TableResult::matches);
  }

  public String status() {
    return !errors.isEmpty() ? "ERROR" : matches() ? "MATCH" : "MISMATCH";
  }

  public ObjectNode toJson() {
    ObjectNode o = summary();
    ArrayNode arr = o.putArray("tables");
    tables.forEach(t -> arr.add(t.toJson()));
    ObjectNode err = o.putObject("errors");
    errors.forEach(err::put);
    ObjectNode ign = o.putObject("ignoredChanges");
    ignoredChanges.forEach(ign::put);
    return o;
  }

  /** The short form the progress document carries. */
  public ObjectNode summary() {
    ObjectNode o = Json.object();
    o.put("status", status());
    o.put("source", source);
    o.put("startedAt", startedAt.toString());
    o.put("finishedAt", finishedAt.toString());
    o.put("tableShards", tables.size());
    o.put("mismatched", tables.stream().filter(t -> !t.matches()).count());
    o.put("errors", errors.size());
    return o;
  }

  public void print(PrintStream out) {
    String fmt = "%-28s %-14s %10s %10s %10s %10s %10s  %s%n";
    out.printf(
        fmt, "TABLE", "SHARD", "ROWS", "MATCHING", "MISSING", "EXTRA", "DIFFERENT", "STATUS");
    for (TableResult t : tables) {
      out.printf(
          fmt,
          t.spannerTable(),
          t.shardId(),
          t.expectedRows(),
          t.matching(),
          t.missing(),
          t.extra(),
          t.different(),
          t.matches() ? "MATCH" : "MISMATCH");
      for (RowDiff d : t.details()) {
        StringBuilder sb =
            new StringBuilder("    ").append(d.kind()).append(" key=").append(d.key());
        d.columns()
            .forEach(
                (c, v) ->
                    sb.append(' ')
                        .append(c)
                        .append(": expected ")
                        .append(show(v[0]))
                        .append(", actual ")
                        .append(show(v[1])));
        out.println(sb);
      }
    }
    errors.forEach((k, v) -> out.println("ERROR " + k + ": " + v));
    out.println("verification " + status() + " (" + source + ")");
  }

  private static String show(String v) {
    return v == null || v.equals(ColumnCodec.NULL) ? "NULL" : v;
  }
}
