package dev.reverserepl.launcher.cutback;

import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.InvalidStateTransitionException;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.reverse.ReverseSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rr commit}: the cut-back, for a writer running anywhere (it reads and pauses through the
 * shards).
 */
@Command(
    name = "commit",
    mixinStandardHelpOptions = true,
    description = {
      "Cut back to MySQL: requires rr block-writes; waits until Spanner had no commit for the settle period (progress"
          + " markers) and every shard applied through the newest commit; pauses the writer; records the commit"
          + " point (Spanner commit timestamp, binlog position and GTID per shard) in rr_cutback; lifts write"
          + " blocking. Prints the cut-back document.",
      "Exit code: 0 when committed, 1 when it could not (nothing changed before the pause), 2 on bad input."
    })
public final class CommitCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, description = "Shards file.")
  String shardsFile;

  @Option(names = "--session", required = true, description = "Session file.")
  String sessionFile;

  @Option(
      names = "--settle-seconds",
      defaultValue = "5",
      description = "Spanner must have had no commit for this long (default: ${DEFAULT-VALUE}).")
  double settleSeconds;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "600",
      description = "Give up after (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--writer-user",
      description = "MySQL user of the writer (default: each shard's user).")
  String writerUser;

  @Option(
      names = "--dlq",
      description = "Dead-letter directory of the writer (pending entries block the commit).")
  String deadLetterDir;

  @Override
  public Integer call() throws Exception {
    List<Shard> shards = ShardsFile.load(shardsFile);
    SessionMapping session = SessionMapping.load(sessionFile);
    ShardsPauseControl pause =
        new ShardsPauseControl(new SyncStateMachine(SyncState.RUNNING), shards);
    ShardsProgressSource progress =
        new ShardsProgressSource(
            new ProgressReader(shards), DirectionMapping.of("spanner", shards), deadLetterDir);
    CutBackCoordinator c =
        new CutBackCoordinator(
            shards,
            session,
            pause,
            progress,
            writerUser,
            null,
            ReverseSettings.defaults(),
            Clock.systemUTC());
    try {
      c.commit(
          Duration.ofMillis((long) (settleSeconds * 1000)), Duration.ofSeconds(timeoutSeconds));
    } catch (CutBackError | InvalidStateTransitionException e) {
      System.out.println("rr commit: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    System.out.println(Json.write(c.toJson()));
    return ExitCodes.OK;
  }
}
