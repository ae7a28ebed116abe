package dev.reverserepl.launcher.cutback;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.ShardConnector;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr unblock-writes}: undo exactly what {@code rr block-writes} recorded on each shard. */
@Command(
    name = "unblock-writes",
    mixinStandardHelpOptions = true,
    description = {
      "Restore what rr block-writes recorded in rr_write_block on every shard (GRANT back each revoked privilege,"
          + " read_only back to its earlier value), newest first; safe to re-run.",
      "Exit code: 0 when every shard was restored, 1 otherwise, 2 on bad input."
    })
public final class UnblockWritesCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, description = "Shards file.")
  String shardsFile;

  @Option(
      names = "--session",
      required = true,
      description = "Session file (which tables are replicated).")
  String sessionFile;

  @Override
  public Integer call() {
    WriteBlocker blocker = new WriteBlocker(SessionMapping.load(sessionFile), new ShardConnector());
    boolean ok = true;
    for (Shard s : ShardsFile.load(shardsFile)) {
      try {
        BlockResult r = blocker.unblock(s);
        System.out.println(
            "shard "
                + s.logicalShardId()
                + ": "
                + r.detail()
                + (r.method() == null
                    ? ""
                    : " (" + r.method() + ", " + r.grantsChanged() + " grant(s) restored)"));
      } catch (SQLException e) {
        ok = false;
        System.out.println("shard " + s.logicalShardId() + ": FAILED: " + e.getMessage());
      }
    }
    return ok ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
