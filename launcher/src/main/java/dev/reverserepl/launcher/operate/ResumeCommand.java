package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr resume}: clears every shard's pause flag and acknowledgement. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Resume the writer on every shard (clear the flag and the acknowledgement in rr_control); the writers"
          + " go on from their committed positions.",
      "Exit code: 0 when every shard's flag is cleared, 1 otherwise (the shards already cleared are paused"
          + " again), 2 on bad input."
    })
public final class ResumeCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, paramLabel = "<file>", description = "Shards file.")
  String shardsFile;

  @Override
  public Integer call() {
    ShardsPauseControl control =
        new ShardsPauseControl(new SyncStateMachine(SyncState.PAUSED), ShardsFile.load(shardsFile));
    control.resume();
    control
        .pauseReport()
        .shards()
        .forEach((id, p) -> System.out.println("shard " + id + ": " + p.state()));
    return ExitCodes.OK;
  }
}
