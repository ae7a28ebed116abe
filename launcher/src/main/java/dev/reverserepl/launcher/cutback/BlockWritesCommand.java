package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.ShardConnector;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr block-writes}: only the writer account can write the replicated tables afterwards. */
@Command(
    name = "block-writes",
    mixinStandardHelpOptions = true,
    description = {
      "Enforce write blocking on every shard: revoke INSERT/UPDATE/DELETE from every other account at the levels"
          + " rr preflight finds, or SET GLOBAL read_only (method auto: read_only where the writer bypasses it and no"
          + " other writer does). Records each change in rr_write_block on the shard; safe to re-run.",
      "Exit code: 0 when every shard is blocked, 1 otherwise, 2 on bad input."
    })
public final class BlockWritesCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, description = "Shards file.")
  String shardsFile;

  @Option(
      names = "--session",
      required = true,
      description = "Session file (which tables are replicated).")
  String sessionFile;

  @Option(
      names = "--writer-user",
      description = "MySQL user of the reverse writer (default: each shard's user).")
  String writerUser;

  @Option(
      names = "--method",
      defaultValue = "AUTO",
      description = "AUTO, REVOKE or READ_ONLY (default: ${DEFAULT-VALUE}).")
  BlockMethod method;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    WriteBlocker blocker = new WriteBlocker(SessionMapping.load(sessionFile), new ShardConnector());
    boolean all = true;
    ArrayNode arr = Json.mapper().createArrayNode();
    for (Shard s : ShardsFile.load(shardsFile)) {
      try {
        BlockResult r = blocker.block(s, method, writerUser);
        all &= r.blocked();
        arr.add(r.toJson());
        if (!json) {
          System.out.println(
              "shard "
                  + s.logicalShardId()
                  + ": "
                  + (r.blocked() ? "blocked" : "NOT BLOCKED")
                  + " by "
                  + r.method()
                  + " ("
                  + r.grantsChanged()
                  + " grant(s) revoked, "
                  + r.sessionsEnded()
                  + " session(s) ended): "
                  + r.detail());
        }
      } catch (SQLException e) {
        all = false;
        System.out.println("shard " + s.logicalShardId() + ": FAILED: " + e.getMessage());
      }
    }
    if (json) {
      ObjectNode o = Json.object();
      o.set("shards", arr);
      System.out.println(Json.write(o));
    }
    return all ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
