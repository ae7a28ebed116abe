package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.common.sql.LiveSchema;
import dev.reverserepl.launcher.cli.ExitCodes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rr preflight}: is the reverse writer the only account that can write the replicated
 * tables?
 */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Report per shard whether accounts other than the reverse writer can still write the replicated tables"
          + " (grants, read_only, super_read_only). Never changes anything.",
      "Also lists, per shard and table, where the session file and the live MySQL schema differ (generated"
          + " columns and missing columns are never written; unique indexes the session does not list).",
      "Exit code: 0 when every shard is blocked for other writers, 1 otherwise, 2 on bad input."
    })
public final class PreflightCommand implements Callable<Integer> {
  @Option(names = "--shards", paramLabel = "<file>", required = true, description = "Shards file.")
  String shardsFile;

  @Option(
      names = "--session",
      paramLabel = "<file>",
      required = true,
      description = "Session file (which tables are replicated).")
  String sessionFile;

  @Option(
      names = "--writer-user",
      paramLabel = "<user>",
      description = "MySQL user of the reverse writer (default: each shard's user).")
  String writerUser;

  @Option(
      names = "--print-statements",
      description = "Print the REVOKE / SET GLOBAL read_only statements an operator would run.")
  boolean printStatements;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    List<Shard> shards = ShardsFile.load(shardsFile);
    SessionMapping session = SessionMapping.load(sessionFile);
    WriteBlockingCheck check = new WriteBlockingCheck(session, new ShardConnector());
    List<WriteBlockingReport> reports = new ArrayList<>();
    Map<String, List<String>> schema = new LinkedHashMap<>();
    for (Shard s : shards) {
      reports.add(check.check(s, writerUser));
      schema.put(s.logicalShardId(), schemaMismatches(s, session));
    }
    if (json) {
      ObjectNode o = Json.object();
      ArrayNode arr = o.putArray("shards");
      for (WriteBlockingReport r : reports) {
        ObjectNode ro = r.toJson();
        schema.getOrDefault(r.shardId(), List.of()).forEach(ro.putArray("schemaMismatches")::add);
        if (printStatements) {
          r.statements().forEach(ro.putArray("statements")::add);
        }
        arr.add(ro);
      }
      System.out.println(Json.write(o));
    } else {
      for (WriteBlockingReport r : reports) {
        print(r);
        schema
            .getOrDefault(r.shardId(), List.of())
            .forEach(m -> System.out.println("  schema: " + m));
      }
    }
    return reports.stream().allMatch(WriteBlockingReport::blocked)
        ? ExitCodes.OK
        : ExitCodes.FAILED;
  }

  /**
   * The differences between the session and the shard's live schema; empty when the shard cannot be
   * read.
   */
  static List<String> schemaMismatches(Shard shard, SessionMapping session) {
    try (Connection c = new ShardConnector().connect(shard)) {
      return LiveSchema.read(c).mismatches(session);
    } catch (SQLException e) {
      return List.of();
    }
  }

  private void print(WriteBlockingReport r) {
    String verdict =
        !r.reachable()
            ? "UNREACHABLE"
            : r.blocked()
                ? "blocked (only " + r.writerUser() + " can write)"
                : r.otherWriters().isEmpty()
                    ? "NOT VERIFIED"
                    : "OPEN: " + r.otherWriters().size() + " grant(s) let other accounts write";
    System.out.println("shard " + r.shardId() + ": " + verdict);
    if (r.reachable()) {
      System.out.println(
          "  read_only="
              + (r.readOnly() ? "ON" : "OFF")
              + (r.superReadOnly() == null
                  ? ""
                  : " super_read_only=" + (r.superReadOnly() ? "ON" : "OFF"))
              + " writer="
              + r.writerUser()
              + " writerCanWrite="
              + r.writerCanWrite());
    }
    for (WriteGrant g : r.otherWriters()) {
      System.out.println(
          "  "
              + g.grantee()
              + " "
              + String.join(",", g.privileges())
              + " on "
              + (g.level() == WriteGrant.Level.GLOBAL
                  ? "*.*"
                  : g.level() == WriteGrant.Level.SCHEMA
                      ? g.schema() + ".*"
                      : g.schema() + "." + g.table()));
    }
    r.warnings().forEach(w -> System.out.println("  warning: " + w));
    if (printStatements && !r.statements().isEmpty()) {
      System.out.println("  statements to run on " + r.shardId() + ":");
      r.statements().forEach(s -> System.out.println("    " + s));
    }
  }
}
