package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rr pause}: sets every shard's pause flag (for a writer running anywhere) and reports per
 * shard whether its writer acknowledged it; {@code --wait} waits for every acknowledgement.
 */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description = {
      "Pause the writer on every shard: set the flag in each shard's rr_control table and show per shard"
          + " PAUSE_REQUESTED or PAUSED (the writer acknowledged: nothing more commits on the shard until"
          + " rr resume). Setting the flag waits for the transaction in flight; pausing a paused shard keeps"
          + " its pause.",
      "Exit code: 0 when the flags are set (with --wait: and every shard acknowledged within the wait), 1"
          + " otherwise, 2 on bad input."
    })
public final class PauseCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, paramLabel = "<file>", description = "Shards file.")
  String shardsFile;

  @Option(
      names = "--wait",
      paramLabel = "<seconds>",
      defaultValue = "0",
      description = "Wait up to <seconds> for every shard's writer to acknowledge (default: 0).")
  int waitSeconds;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (waitSeconds < 0) {
      throw new IllegalArgumentException("--wait: seconds must be >= 0, got " + waitSeconds);
    }
    ShardsPauseControl control =
        new ShardsPauseControl(
            new SyncStateMachine(SyncState.RUNNING), ShardsFile.load(shardsFile));
    control.pause();
    PauseReport report = control.awaitStopped(Duration.ofSeconds(waitSeconds));
    print(System.out, report, json);
    return waitSeconds == 0 || report.allStopped() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  static void print(PrintStream out, PauseReport report, boolean json) {
    if (json) {
      out.println(Json.write(report.toJson()));
      return;
    }
    report
        .shards()
        .forEach(
            (id, p) ->
                out.println(
                    "shard "
                        + id
                        + ": "
                        + p.state()
                        + " (pause "
                        + p.pauseId()
                        + (p.stopped()
                            ? ", acknowledged "
                                + StatusCommand.display(p.acknowledgedAt())
                                + " by "
                                + p.acknowledgedBy()
                            : "")
                        + ")"));
    report.unreachable().forEach((id, e) -> out.println("shard " + id + ": UNREACHABLE: " + e));
    out.println(
        report.allStopped()
            ? "every shard stopped: nothing more commits until rr resume"
            : "not every shard acknowledged yet (rr status shows when they do)");
  }
}
