package dev.reverserepl.launcher.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.routing.RoutingResult;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.launcher.operate.OperateFixtures;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.retry.MySqlRetryStrategy;
import dev.reverserepl.writer.retry.RetryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated workload applied by the writer's real apply path to two MariaDB shards; the verifier
 * must call that equal, then find exactly the differences planted afterwards.
 */
class VerifierTest {
  @TempDir static Path dir;
  static Path sessionFile;
  static Path changes;
  static SessionMapping session;
  static List<Shard> shards;

  @BeforeAll
  static void replicate() throws Exception {
    sessionFile = dir.resolve("session.json");
    Files.copy(VerifierTest.class.getResourceAsStream("/sample/session.json"), sessionFile);
    Path schema = dir.resolve("mysql-schema.sql");
    Files.copy(VerifierTest.class.getResourceAsStream("/sample/mysql-schema.sql"), schema);
    session = SessionMapping.load(sessionFile.toString());
    shards = OperateFixtures.freshShards("verify", "shard1", "shard2");
    for (Shard s : shards) {
      EmbeddedMySql.shared().runSqlFile(s.dbName(), schema);
    }
    changes = dir.resolve("changes.jsonl");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      WorkloadGenerator.forSessionFile(
              sessionFile.toString(),
              WorkloadSpec.defaults()
                  .withChanges(400)
                  .withSeed(7)
                  .withShardIds(List.of("shard1", "shard2")))
          .generate(w::write);
    }
    apply();
  }

  /**
   * What the pipelines do, minus Beam: filter, route (a delete without the shard column to the
   * shard that last held its key), order per shard, apply with the writer's ShardApplier.
   */
  static void apply() {
    ShardRouter router = new ShardRouter(session, shards);
    List<Change> all = new ArrayList<>();
    for (var r : ChangeRecordReader.readAll(changes.toString())) {
      for (Change c : ChangeRecordReader.toChanges(r)) {
        if (!c.transactionTag().startsWith("txBy=") && session.table(c.table()).isPresent()) {
          all.add(c);
        }
      }
    }
    all.sort(Comparator.comparing(Change::position));
    Map<String, List<Change>> byShard = new LinkedHashMap<>();
    Map<String, String> lastShard = new java.util.HashMap<>();
    for (Change c : all) {
      String key = c.table() + c.keysJson();
      String shard =
          router.route(c) instanceof RoutingResult.Routed r
              ? r.shardId()
              : c.kind().isDelete() ? lastShard.get(key) : null;
      if (shard != null) {
        byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(c);
        lastShard.put(key, shard);
      }
    }
    for (Shard s : shards) {
      List<Change> cs = byShard.getOrDefault(s.logicalShardId(), List.of());
      List<SequencedChange> seq = new ArrayList<>();
      for (int i = 0; i < cs.size(); i++) {
        boolean end =
            i == cs.size() - 1 || !cs.get(i + 1).position().sameTransaction(cs.get(i).position());
        seq.add(new SequencedChange(s.logicalShardId(), 0, 1, i + 1, end, cs.get(i)));
      }
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(s.jdbcUrl());
      hc.setUsername(s.user());
      hc.setPassword(s.password());
      hc.setMaximumPoolSize(2);
      try (HikariDataSource ds = new HikariDataSource(hc)) {
        new ShardApplier(
                s.logicalShardId(),
                ds,
                session,
                new ChangeTranslator(session, new MySqlValueConverter()),
                ApplySettings.DEFAULT,
                new MySqlRetryStrategy(),
                RetryConfig.DEFAULT,
                letters -> {
                  throw new AssertionError("dead letter: " + letters);
                })
            .apply(0, seq, 0);
      }
    }
  }

  static VerificationReport verify() {
    return new Verifier(
            session,
            shards,
            VerifySettings.defaults().withChunkSize(7).withRecheckDelay(Duration.ofMillis(100)))
        .verifyChanges(changes.toString());
  }

  static void sql(Shard s, String... statements) throws Exception {
    try (Connection c = EmbeddedMySql.shared().connect(s.dbName());
        Statement st = c.createStatement()) {
      for (String q : statements) {
        st.execute(q);
      }
    }
  }

  static List<String> skus(Shard s) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = EmbeddedMySql.shared().connect(s.dbName());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sku FROM products ORDER BY sku")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void replicatedDataMatchesThenPlantedDifferencesAreReportedExactly() throws Exception {
    VerificationReport clean = verify();
    assertTrue(
        clean.matches(),
        () -> {
          clean.print(System.out);
          return "clean replication must match";
        });
    assertEquals(session.tables().size() * 2, clean.tables().size());
    assertTrue(clean.tables().stream().mapToLong(TableResult::expectedRows).sum() > 50);
    assertTrue(
        clean.ignoredChanges().getOrDefault("forwardMigration", 0L) > 0,
        clean.ignoredChanges().toString());

    Shard shard1 = shards.get(0);
    List<String> skus = skus(shard1);
    assertTrue(skus.size() >= 2, skus.toString());
    String gone = skus.get(0);
    String changed = skus.get(1);
    sql(
        shard1,
        "DELETE FROM products WHERE sku = '" + gone + "'",
        "INSERT INTO products (sku, title, price, in_stock, released) VALUES ('zz-planted', 'x', 1.00, 1, NULL)",
        "UPDATE products SET title = 'planted title' WHERE sku = '" + changed + "'");
    try {
      VerificationReport r = verify();
      r.print(System.out);
      assertFalse(r.matches());
      List<TableResult> bad = r.tables().stream().filter(t -> !t.matches()).toList();
      assertEquals(1, bad.size(), bad.toString());
      TableResult p = bad.get(0);
      assertEquals("shard1", p.shardId());
      assertEquals("products", p.sourceTable());
      assertEquals(1, p.missing());
      assertEquals(1, p.extra());
      assertEquals(1, p.different());
      assertEquals(3, p.details().size());
      Map<RowDiff.Kind, RowDiff> byKind = new LinkedHashMap<>();
      p.details().forEach(d -> byKind.put(d.kind(), d));
      assertEquals(gone, byKind.get(RowDiff.Kind.MISSING).key());
      assertEquals("zz-planted", byKind.get(RowDiff.Kind.EXTRA).key());
      assertEquals(changed, byKind.get(RowDiff.Kind.DIFFERENT).key());
      assertEquals(
          List.of("title"), List.copyOf(byKind.get(RowDiff.Kind.DIFFERENT).columns().keySet()));
      assertEquals("planted title", byKind.get(RowDiff.Kind.DIFFERENT).columns().get("title")[1]);
      TableResult cleanShard =
          r.tables().stream()
              .filter(t -> t.shardId().equals("shard2") && t.sourceTable().equals("products"))
              .findFirst()
              .orElseThrow();
      assertTrue(cleanShard.matches());
      assertEquals(cleanShard.expectedRows(), cleanShard.matching());

      // The command: exit 1, JSON report, and a state file that makes a rerun skip completed pairs.
      Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
      Path report = dir.resolve("report.json");
      Path state = dir.resolve("verify-state.json");
      OperateFixtures.Run run =
          OperateFixtures.run(
              "verify",
              "--session",
              sessionFile.toString(),
              "--shards",
              shardsFile.toString(),
              "--changes",
              changes.toString(),
              "--report",
              report.toString(),
              "--state",
              state.toString(),
              "--recheck-delay-seconds",
              "0");
      assertEquals(1, run.code(), run.out());
      assertTrue(run.out().contains("MISMATCH"), run.out());
      JsonNode json = Json.parse(Files.readString(report));
      assertEquals("MISMATCH", json.get("status").asText());
      assertEquals(1, json.get("mismatched").asLong());
      assertEquals(
          session.tables().size() * 2, Json.parse(Files.readString(state)).get("completed").size());

      sql(shard1, "DELETE FROM products WHERE sku = 'zz-planted'");
      OperateFixtures.Run rerun =
          OperateFixtures.run(
              "verify",
              "--session",
              sessionFile.toString(),
              "--shards",
              shardsFile.toString(),
              "--changes",
              changes.toString(),
              "--state",
              state.toString(),
              "--recheck-delay-seconds",
              "0");
      // Every pair comes from the state file: the earlier result stands although the row is gone
      // now.
      assertEquals(1, rerun.code(), rerun.out());
    } finally {
      Files.deleteIfExists(dir.resolve("verify-state.json"));
    }
  }

  @Test
  void badInputExitsTwo() {
    assertEquals(
        2,
        OperateFixtures.run(
                "verify", "--session", "nope.json", "--shards", "nope.json", "--changes", "x")
            .code());
    assertEquals(2, OperateFixtures.run("verify", "--session", "a", "--shards", "b").code());
  }
}
