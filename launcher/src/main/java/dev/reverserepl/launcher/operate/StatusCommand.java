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

/**
 * {@code rr status}: per shard, how far the writer got, read from the shards' own progress tables.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show per shard the applied Spanner commit time, lag and applied counts, read from the progress table the"
          + " writer keeps on every shard (works for Dataflow and local writers alike), and the pause: RUNNING,"
          + " PAUSE_REQUESTED (flag set, no writer acknowledged it yet) or PAUSED (acknowledged: nothing more"
          + " commits on the shard until a resume).",
      "With --watch the table is redrawn every few seconds until Ctrl-C.",
      "Exit code: 0 when every shard could be read, 1 when some shard is unreachable, 2 on bad input."
    })
public final class StatusCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, paramLabel = "<file>", description = "Shards file.")
  String shardsFile;

  @Option(
      names = "--session",
      paramLabel = "<file>",
      description = "Session file (checked only; progress needs no table mapping).")
  String sessionFile;

  @Option(
      names = "--progress-table",
      defaultValue = ProgressTable.DEFAULT_NAME,
      paramLabel = "<table>",
      description = "Progress table name (default: ${DEFAULT-VALUE}).")
  String progressTable;

  @Option(
      names = "--at",
      paramLabel = "<timestamp>",
      description =
          "Spanner commit timestamp (RFC 3339, UTC) to measure lag against instead of now.")
  String at;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--watch",
      arity = "0..1",
      fallbackValue = "2",
      paramLabel = "<seconds>",
      description = "Redraw every <seconds> (default when given without a value: 2) until Ctrl-C.")
  Integer watchSeconds;

  /** How many times --watch draws before returning; unlimited for the command line. */
  long maxDraws = Long.MAX_VALUE;

  @Override
  public Integer call() {
    List<Shard> shards = ShardsFile.load(shardsFile);
    if (sessionFile != null) {
      SessionMapping.load(sessionFile);
    }
    Optional<Instant> target = parseAt(at);
    ProgressReader reader =
        new ProgressReader(
            shards, new ProgressTable(progressTable), new ControlTable(), new ShardConnector());
    if (watchSeconds != null && watchSeconds < 1) {
      throw new IllegalArgumentException("--watch: seconds must be >= 1, got " + watchSeconds);
    }
    int code = draw(reader, target);
    for (long n = 1; watchSeconds != null && n < maxDraws; n++) {
      sleep(watchSeconds);
      code = draw(reader, target);
    }
    return code;
  }

  private int draw(ProgressReader reader, Optional<Instant> target) {
    List<ShardProgress> progress = reader.read();
    Instant now = Instant.now();
    Instant reference = target.orElse(now);
    if (json) {
      System.out.println(Json.write(toJson(progress, target, now)));
    } else {
      if (watchSeconds != null) {
        // Clear the terminal and home the cursor, then one timestamped table.
        System.out.print("\033[H\033[2J");
        System.out.println(
            "rr status " + display(now) + " (every " + watchSeconds + " s, Ctrl-C ends)");
      }
      print(System.out, progress, reference, target.isPresent());
    }
    System.out.flush();
    return progress.stream().allMatch(ShardProgress::reachable) ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void sleep(int seconds) {
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /**
   * A commit time for people: UTC to the millisecond, rounded (so a marker at 39.999999999 reads
   * 40).
   */
  static String display(Instant t) {
    long nanos = t.getNano();
    Instant ms = t.minusNanos(nanos).plusMillis(Math.round(nanos / 1_000_000.0));
    return java.time.format.DateTimeFormatter.ISO_INSTANT.format(ms);
  }

  static Optional<Instant> parseAt(String at) {
    if (at == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(at));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--at: not an RFC 3339 UTC timestamp (e.g. 2024-05-01T12:00:00Z): " + at);
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
    o.put("allShardsStopped", allStopped(progress));
    ArrayNode arr = o.putArray("shards");
    progress.forEach(p -> arr.add(p.toJson(at.orElse(now))));
    return o;
  }

  static void print(
      PrintStream out, List<ShardProgress> progress, Instant reference, boolean atGiven) {
    String fmt = "%-20s %-11s %-15s %-30s %12s %12s %10s%n";
    out.printf(
        fmt,
        "SHARD",
        "REACHABLE",
        "PAUSE",
        "APPLIED THROUGH",
        atGiven ? "LAG TO --at" : "LAG (s)",
        "APPLIED",
        "PARTITIONS");
    for (ShardProgress p : progress) {
      if (!p.reachable()) {
        out.printf(fmt, p.shardId(), "NO", "-", "-", "-", "-", "-");
        out.println("    " + p.error());
        continue;
      }
      out.printf(
          fmt,
          p.shardId(),
          "yes",
          p.pause().state().name(),
          p.appliedThrough().map(StatusCommand::display).orElse("(nothing applied)"),
          p.lagSeconds(reference)
              .map(l -> String.format(java.util.Locale.ROOT, "%.1f", l))
              .orElse("-"),
          p.appliedCount(),
          p.partitions().size());
      p.blocked().forEach(b -> out.println("    partition " + b.partition() + " " + b.describe()));
      for (var w : p.waiting()) {
        out.println("    WAITING: " + w.describe(Instant.now()));
      }
    }
    if (allStopped(progress)) {
      out.println("every shard acknowledged the pause: nothing more commits until a resume");
    }
  }

  /** Writer rule 17: every shard is reachable and its writer acknowledged the pause in force. */
  static boolean allStopped(List<ShardProgress> progress) {
    return !progress.isEmpty()
        && progress.stream().allMatch(p -> p.reachable() && p.pause().stopped());
  }
}
