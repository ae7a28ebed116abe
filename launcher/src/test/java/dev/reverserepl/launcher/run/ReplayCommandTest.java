package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.routing.KeyHashShardIdFetcher;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.Rr;
import dev.reverserepl.launcher.testing.Fixtures;
import dev.reverserepl.launcher.verify.VerificationReport;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rr replay} end to end against two real MySQL shards, for several session files: the
 * summary accounts for every change, the shards hold exactly the rows the change records imply, and
 * a second replay of the same records changes nothing. The repository's fixtures (every type
 * family; a sharded parent and child whose shard column is outside the key; a session time zone)
 * and the bundled sample always run; the matching sessions of the external corpus run in addition
 * when it is present.
 */
class ReplayCommandTest {
  private static final List<String> REPO_FIXTURES =
      List.of("type-families", "parcels-sharded", "clock");
  private static final List<String> EXTERNAL_FIXTURES =
      List.of(
          "SpannerToMySqlDataTypesIT",
          "SpannerToSourceDbInterleaveMultiShardIT",
          "SpannerToSourceDbTimezoneIT");

  @TempDir Path dir;

  static Stream<String> fixtures() {
    List<String> all = new ArrayList<>();
    REPO_FIXTURES.forEach(f -> all.add("repo:" + f));
    all.add("BundledSample");
    Optional<Path> external = Fixtures.external();
    if (external.isPresent()) {
      List<String> present =
          EXTERNAL_FIXTURES.stream()
              .filter(f -> Files.isRegularFile(external.get().resolve(f).resolve("session.json")))
              .toList();
      System.out.println(
          "ReplayCommandTest: external corpus "
              + external.get()
              + ": "
              + present.size()
              + " session file(s) checked in addition");
      present.forEach(f -> all.add("external:" + f));
    } else {
      System.out.println(
          "ReplayCommandTest: no external corpus (RR_FIXTURES or shared/fixtures); "
              + "0 external session files checked, repository fixtures only");
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void replayTwiceAppliesOnceAndMatches(String fixture) throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Path session;
    Path schema;
    if (fixture.equals("BundledSample")) {
      session = copyResource("sample/session.json");
      schema = copyResource("sample/mysql-schema.sql");
    } else if (fixture.startsWith("repo:")) {
      session = Fixtures.repo(fixture.substring(5) + "/session.json");
      schema = Fixtures.repo(fixture.substring(5) + "/mysql-schema.sql");
    } else {
      Path external =
          Fixtures.external().orElseThrow().resolve(fixture.substring("external:".length()));
      session = external.resolve("session.json");
      schema = external.resolve("mysql-schema.sql");
    }
    String prefix = "rp_" + Integer.toHexString(fixture.hashCode() & 0xffff) + "_";
    List<Shard> shards = new ArrayList<>();
    for (String id : List.of("shardA", "shardB")) {
      String db = prefix + id.toLowerCase();
      mysql.recreateDatabase(db);
      mysql.runSqlFile(db, schema);
      shards.add(mysql.shard(id, db));
    }
    Path shardsFile = writeShards(shards);
    Path changes = dir.resolve("changes.jsonl");
    WorkloadSummary workload;
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      workload =
          WorkloadGenerator.forSessionFile(
                  session.toString(),
                  WorkloadSpec.defaults()
                      .withChanges(400)
                      .withSeed(11)
                      .withShardIds(List.of("shardA", "shardB")))
              .generate(w::write);
    }
    SessionMapping mapping = SessionMapping.load(session.toString());
    // Sessions without a shard-id column spread their rows over the two shards by key hash.
    String fetcher = mapping.isSharded() ? null : KeyHashShardIdFetcher.class.getName();
    List<String> argList =
        new ArrayList<>(
            List.of(
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
                "0"));
    if (fetcher != null) {
      argList.addAll(List.of("--shard-id-fetcher", fetcher));
    }
    String[] args = argList.toArray(String[]::new);

    Run first = run(args);
    assertEquals(0, first.exit, first.output + deadLetters());
    JsonNode s1 = first.summary();
    assertEquals(workload.total(), s1.get("read").asLong(), first.output);
    assertEquals(workload.filtered(), s1.get("filtered").asLong());
    assertEquals(workload.skipped(), s1.get("skippedTables").asLong());
    assertEquals(workload.replicated(), s1.get("applied").asLong());
    assertEquals(0, s1.get("duplicatesSkipped").asLong());
    assertEquals(0, s1.get("deadLettered").asLong());
    assertEquals(
        workload.replicated(),
        s1.get("shards").get("shardA").get("applied").asLong()
            + s1.get("shards").get("shardB").get("applied").asLong());
    VerificationReport report = verify(session, shardsFile, changes, fetcher);
    assertTrue(report.matches(), "shards must hold exactly the implied rows:\n" + text(report));

    Run second = run(args);
    assertEquals(0, second.exit, second.output);
    JsonNode s2 = second.summary();
    assertEquals(0, s2.get("applied").asLong(), second.output);
    assertEquals(workload.replicated(), s2.get("duplicatesSkipped").asLong());
    assertEquals(s1.get("read").asLong(), s2.get("read").asLong());
    assertTrue(
        verify(session, shardsFile, changes, fetcher).matches(),
        "a second replay must leave the shards unchanged");
  }

  private String deadLetters() throws Exception {
    StringBuilder sb = new StringBuilder("\ndead letters:\n");
    Path dlq = dir.resolve("dlq");
    if (Files.isDirectory(dlq)) {
      try (var files = Files.list(dlq)) {
        for (Path f : files.toList()) {
          Files.readAllLines(f).stream()
              .limit(5)
              .forEach(l -> sb.append(l, 0, Math.min(l.length(), 600)).append('\n'));
        }
      }
    }
    return sb.toString();
  }

  private static String text(VerificationReport report) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    report.print(new PrintStream(buf, true, StandardCharsets.UTF_8));
    return buf.toString(StandardCharsets.UTF_8);
  }

  private VerificationReport verify(Path session, Path shardsFile, Path changes, String fetcher) {
    return new Verifier(
            SessionMapping.load(session.toString()),
            ShardsFile.load(shardsFile.toString()),
            VerifySettings.defaults()
                .withRecheckDelay(Duration.ZERO)
                .withShardIdFetcherClass(fetcher))
        .verifyChanges(changes.toString());
  }

  private Path writeShards(List<Shard> shards) throws Exception {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Shard s : shards) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("logicalShardId", s.logicalShardId());
      m.put("host", s.host());
      m.put("user", s.user());
      m.put("password", s.password() == null ? "" : s.password());
      m.put("port", s.port());
      m.put("dbName", s.dbName());
      list.add(m);
    }
    Path f = dir.resolve("shards.json");
    Files.writeString(f, Json.write(list));
    return f;
  }

  private Path copyResource(String name) throws Exception {
    Path target = dir.resolve(name.substring(name.indexOf('/') + 1));
    try (var in = getClass().getClassLoader().getResourceAsStream(name)) {
      Files.copy(in, target);
    }
    return target;
  }

  record Run(int exit, String output) {
    JsonNode summary() throws Exception {
      String[] lines = output.strip().split("\n");
      return Json.parse(lines[lines.length - 1]);
    }
  }

  static Run run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      var cl = Rr.commandLine();
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args);
      capture.flush();
      return new Run(exit, buf.toString(StandardCharsets.UTF_8) + err);
    } finally {
      System.setOut(original);
    }
  }
}
