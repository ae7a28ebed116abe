package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr status}: per shard, how far the writer got, read from the shards' own progress tables. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show per shard the applied Spanner commit time, lag and applied counts, read from the progress table the"
          + " writer keeps on every shard (works for Dataflow and local writers alike).",
      "Exit code: 0 when every shard could be read, 1 when some shard is unreachable, 2 on bad input."
    })
public final class StatusCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, description = "Shards file.")
  String shardsFile;

  @Option(names = "--session", description = "Session file (checked only; progress needs no table mapping).")
  String sessionFile;

  @Option(names = "--progress-table", defaultValue = ProgressTable.DEFAULT_NAME,
      description = "Progress table name (default: ${DEFAULT-VALUE}).")
  String progressTable;

  @Option(names = "--at", description = "Spanner commit timestamp (RFC 3339, UTC) to measure lag against instead of now.")
  String at;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    List<Shard> shards = ShardsFile.load(shardsFile);
    if (sessionFile != null) {
      SessionMapping.load(sessionFile);
    }
    Optional<Instant> target = parseAt(at);
    ProgressReader reader =
        new ProgressReader(shards, new ProgressTable(progressTable), new ControlTable(), new ShardConnector());
    List<ShardProgress> progress = reader.read();
    Instant now = Instant.now();
    Instant reference = target.orElse(now);
    if (json) {
      System.out.println(Json.write(toJson(progress, target, now)));
    } else {
      print(System.out, progress, reference, target.isPresent());
    }
    return progress.stream().allMatch(ShardProgress::reachable) ? ExitCodes.OK : ExitCodes.FAILED;
  }

  static Optional<Instant> parseAt(String at) {
    if (at == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(at));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--at: not an RFC 3339 UTC timestamp (e.g. 2024-05-01T12:00:00Z): " + at);
    }
  }

  static ObjectNode toJson(List<ShardProgress> progress, Optional<Instant> at, Instant now) {
    ObjectNode o = Json.object();
    o.put("generatedAt", now.toString());
    o.put("lagReference", at.map(Instant::toString).orElse("now"));
    Optional<Double> lag = ProgressDocument.maxLag(progress, at.orElse(now));
    if (lag.isPresent()) {
      o.put("lagTimeSeconds", lag.get());
    } else {
      o.putNull("lagTimeSeconds");
    }
    ArrayNode arr = o.putArray("shards");
    progress.forEach(p -> arr.add(p.toJson(at.orElse(now))));
    return o;
  }

  static void print(PrintStream out, List<ShardProgress> progress, Instant reference, boolean atGiven) {
    String fmt = "%-20s %-11s %-6s %-30s %12s %12s %10s%n";
    out.printf(fmt, "SHARD", "REACHABLE", "PAUSED", "APPLIED THROUGH", atGiven ? "LAG TO --at" : "LAG (s)",
        "APPLIED", "PARTITIONS");
    for (ShardProgress p : progress) {
      if (!p.reachable()) {
        out.printf(fmt, p.shardId(), "NO", "-", "-", "-", "-", "-");
        out.println("    " + p.error());
        continue;
      }
      out.printf(fmt, p.shardId(), "yes", p.paused() ? "yes" : "no",
          p.appliedThrough().map(Instant::toString).orElse("(nothing applied)"),
          p.lagSeconds(reference).map(l -> String.format("%.3f", l)).orElse("-"),
          p.appliedCount(), p.partitions().size());
      p.blocked().forEach(b -> out.println("    partition " + b.partition() + " " + b.describe()));
      for (var w : p.waiting()) {
        out.println("    WAITING: " + w.describe(Instant.now()));
      }
    }
  }
}
