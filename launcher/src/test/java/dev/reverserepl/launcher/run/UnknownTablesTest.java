package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.OperateFixtures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay rule "unknown tables": changes of a table the session file does not know (here: a table
 * added to Spanner after the session was made) are not silent — named once on the console and in
 * the summary's {@code unknownTables}, apart from Spanner-only tables, and a failure (exit 3) with
 * {@code --fail-on-unknown-tables}.
 */
class UnknownTablesTest {
  @TempDir Path dir;

  @Test
  void unknownTableIsNamedOnceApartFromSpannerOnlyTablesAndFailsOnlyWhenAsked() throws Exception {
    Path fullSession = copy("sample/session.json");
    Path schema = copy("sample/mysql-schema.sql");
    Path changes = dir.resolve("changes.jsonl");
    WorkloadSummary workload;
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      workload =
          WorkloadGenerator.forSessionFile(
                  fullSession.toString(),
                  WorkloadSpec.defaults()
                      .withChanges(200)
                      .withSeed(5)
                      .withSkippedTableShare(0.2)
                      .withShardIds(List.of("shard1", "shard2")))
              .generate(w::write);
    }
    assertTrue(workload.skipped() > 0, "the workload touches the Spanner-only table audit_events");
    Path session = withoutTable(fullSession, "audit_events");

    EmbeddedMySql mysql = EmbeddedMySql.shared();
    List<Shard> shards = new ArrayList<>();
    for (String id : List.of("shard1", "shard2")) {
      mysql.recreateDatabase("unknown_" + id);
      mysql.runSqlFile("unknown_" + id, schema);
      shards.add(mysql.shard(id, "unknown_" + id));
    }
    Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
    String[] args = {
      "replay",
      "--changes",
      changes.toString(),
      "--session",
      session.toString(),
      "--shards",
      shardsFile.toString(),
      "--dlq",
      dir.resolve("dlq").toString(),
      "--progress-every",
      "0",
      "--no-api"
    };

    OperateFixtures.Run lenient = OperateFixtures.run(args);
    assertEquals(ExitCodes.OK, lenient.code(), lenient.out());
    JsonNode summary = Json.parse(last(lenient.out()));
    assertEquals(
        Map.of("audit_events", workload.skipped()),
        Json.mapper()
            .convertValue(
                summary.get("unknownTables"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() {}));
    assertEquals(workload.skipped(), summary.get("unknownTableChanges").asLong());
    assertEquals(0, summary.get("skippedTables").asLong(), summary.toString());
    assertEquals(workload.replicated(), summary.get("applied").asLong());
    long named =
        lenient
            .out()
            .lines()
            .filter(l -> l.contains("table audit_events is not in the session file"))
            .count();
    assertEquals(1, named, lenient.out());

    String[] strict = java.util.Arrays.copyOf(args, args.length + 1);
    strict[args.length] = "--fail-on-unknown-tables";
    OperateFixtures.Run failing = OperateFixtures.run(strict);
    assertEquals(ExitCodes.DEAD_LETTERED, failing.code(), failing.out());
    assertTrue(
        failing.out().contains("unknown tables (--fail-on-unknown-tables): audit_events"),
        failing.out());
  }

  private static String last(String out) {
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    return lines.get(lines.size() - 1);
  }

  private Path withoutTable(Path session, String spannerName) throws Exception {
    ObjectNode root = (ObjectNode) Json.parse(Files.readString(session));
    ObjectNode sp = (ObjectNode) root.get("SpSchema");
    for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext(); ) {
      if (it.next().getValue().get("Name").asText().equals(spannerName)) {
        it.remove();
      }
    }
    Path out = dir.resolve("session-without-" + spannerName + ".json");
    Files.writeString(out, Json.write(root));
    return out;
  }

  private Path copy(String resource) throws Exception {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
    return target;
  }
}
