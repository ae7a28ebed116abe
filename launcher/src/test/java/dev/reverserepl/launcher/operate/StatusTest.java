package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ProgressWaitColumns;
import dev.reverserepl.common.progress.StreamWait;
import dev.reverserepl.common.shards.Shard;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTest {
  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  static List<Shard> shards;

  @BeforeAll
  static void positions() throws Exception {
    shards = OperateFixtures.freshShards("status", "shard1", "shard2");
    ProgressTable table = new ProgressTable(ProgressTable.DEFAULT_NAME);
    // shard1: two partitions; partition 1 is behind but its progress marker says it is complete to
    // T0+8s.
    write(
        shards.get(0),
        table,
        new AppliedPosition("shard1", 0, 1, 40, pos(T0.plusSeconds(10)), 40, 0, T0),
        new AppliedPosition(
            "shard1",
            1,
            1,
            7,
            pos(T0.plusSeconds(2)),
            7,
            ChangePosition.toNanos(T0.plusSeconds(8)),
            T0));
    // shard2: table exists, nothing applied yet.
    try (Connection c = connect(shards.get(1))) {
      table.createIfMissing(c);
    }
  }

  static ChangePosition pos(Instant commit) {
    return new ChangePosition(
        ChangePosition.toNanos(commit), "tx-" + commit.getEpochSecond(), 1, 0);
  }

  static Connection connect(Shard s) throws Exception {
    return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
  }

  static void write(Shard s, ProgressTable t, AppliedPosition... rows) throws Exception {
    try (Connection c = connect(s)) {
      t.createIfMissing(c);
      for (AppliedPosition p : rows) {
        t.write(c, p);
      }
    }
  }

  @Test
  void readsPositionsWrittenByTheProgressTable() {
    List<ShardProgress> read = new ProgressReader(shards).read();
    ShardProgress s1 = read.get(0);
    assertTrue(s1.reachable());
    assertEquals(47, s1.appliedCount());
    assertEquals(2, s1.partitions().size());
    // slowest partition: max(T0+2s commit, T0+8s marker) = T0+8s
    assertEquals(T0.plusSeconds(8), s1.appliedThrough().orElseThrow());
    assertEquals(T0.plusSeconds(10), s1.lastAppliedCommit().orElseThrow());
    assertEquals(2.0, s1.lagSeconds(T0.plusSeconds(10)).orElseThrow(), 1e-9);
    assertTrue(s1.caughtUpTo(T0.plusSeconds(8)));
    assertFalse(s1.caughtUpTo(T0.plusSeconds(9)));

    ShardProgress s2 = read.get(1);
    assertTrue(s2.reachable());
    assertEquals(0, s2.appliedCount());
    assertTrue(s2.appliedThrough().isEmpty());
  }

  @Test
  void unreachableShardIsReportedNotThrown() {
    List<Shard> withDead = new ArrayList<>(shards);
    withDead.add(OperateFixtures.unreachableShard("shard9"));
    List<ShardProgress> read = new ProgressReader(withDead).read();
    assertEquals(3, read.size());
    assertFalse(read.get(2).reachable());
    assertTrue(read.get(2).error() != null && !read.get(2).error().isBlank());
    assertTrue(read.get(0).reachable());
  }

  @Test
  void rule4_connectionErrorIsOneLineNamingShardHostPortAndCause() {
    Shard dead = OperateFixtures.unreachableShard("shard9");
    String error = new ProgressReader(List.of(dead)).read().get(0).error();
    assertEquals(1, error.lines().count(), error);
    assertTrue(error.startsWith("shard shard9 at 127.0.0.1:" + dead.port() + ": "), error);
    assertTrue(
        error.toLowerCase(java.util.Locale.ROOT).contains("connection refused")
            || error.toLowerCase(java.util.Locale.ROOT).contains("could not connect"),
        error);
  }

  @Test
  void statusCommandPrintsJsonWithLagToAt(@TempDir Path dir) throws Exception {
    Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
    OperateFixtures.Run run =
        run(
            "status",
            "--shards",
            shardsFile.toString(),
            "--at",
            T0.plusSeconds(18).toString(),
            "--json");
    assertEquals(0, run.code(), run.out());
    JsonNode doc = Json.parse(run.out());
    assertEquals(10.0, doc.get("lagTimeSeconds").asDouble(), 1e-9);
    JsonNode s1 = doc.get("shards").get(0);
    assertEquals("shard1", s1.get("shardId").asText());
    assertEquals(T0.plusSeconds(8).toString(), s1.get("appliedThrough").asText());
    assertEquals(47, s1.get("appliedCount").asLong());
    assertEquals(2, s1.get("partitions").size());
    assertTrue(doc.get("shards").get(1).get("lagTimeSeconds").isNull());
  }

  @Test
  void statusWatchRedrawsTheTableWithItsTime(@TempDir Path dir) throws Exception {
    Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
    StatusCommand watch = new StatusCommand();
    watch.shardsFile = shardsFile.toString();
    watch.progressTable = ProgressTable.DEFAULT_NAME;
    watch.watchSeconds = 1;
    watch.maxDraws = 2;
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, watch.call());
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, out.split("\033\\[2J", -1).length - 1, out);
    assertEquals(
        2,
        out.lines().filter(l -> l.contains("rr status ") && l.contains("Ctrl-C ends")).count(),
        out);
    assertEquals(2, out.lines().filter(l -> l.startsWith("shard1")).count(), out);
  }

  @Test
  void statusCommandTableAndUnreachableExitCode(@TempDir Path dir) throws Exception {
    List<Shard> withDead = new ArrayList<>(shards);
    withDead.add(OperateFixtures.unreachableShard("shard9"));
    Path shardsFile = OperateFixtures.writeShardsFile(dir, withDead);
    OperateFixtures.Run run = run("status", "--shards", shardsFile.toString());
    assertEquals(1, run.code(), run.out());
    assertTrue(
        run.out().contains("shard1") && run.out().contains(T0.plusSeconds(8).toString()),
        run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith("shard9") && l.contains("NO")), run.out());
  }

  @Test
  void writerRule13_aStreamWaitingForAMissingSequenceIsShownByStatusAndTheProgressDocument(
      @TempDir Path dir) throws Exception {
    List<Shard> one = OperateFixtures.freshShards("statuswait", "shardw");
    ProgressTable table = new ProgressTable(ProgressTable.DEFAULT_NAME);
    ProgressWaitColumns waits = new ProgressWaitColumns(table);
    Instant since = Instant.now().minusSeconds(300);
    try (Connection c = connect(one.get(0))) {
      table.createIfMissing(c);
      table.write(c, new AppliedPosition("shardw", 0, 3, 10, pos(T0), 10, 0, T0));
      waits.addIfMissing(c);
      waits.mark(c, new StreamWait("shardw", 0, 3, 11, since));
      // A wait the row has already passed (the sequence got applied later) is over.
      table.write(c, new AppliedPosition("shardw", 1, 3, 50, pos(T0), 50, 0, T0));
      waits.mark(c, new StreamWait("shardw", 1, 3, 40, since));
    }
    ShardProgress read = new ProgressReader(one).read().get(0);
    assertEquals(1, read.waiting().size(), read.waiting().toString());
    assertEquals(11, read.waiting().get(0).missingSequence());

    Path shardsFile = OperateFixtures.writeShardsFile(dir, one);
    OperateFixtures.Run table1 = run("status", "--shards", shardsFile.toString());
    assertTrue(
        table1.out().contains("WAITING: shard shardw partition 0 epoch 3 waits for sequence 11"),
        table1.out());
    assertTrue(table1.out().contains("recovery: "), table1.out());
    JsonNode json = Json.parse(run("status", "--shards", shardsFile.toString(), "--json").out());
    JsonNode w = json.get("shards").get(0).get("waiting").get(0);
    assertEquals(11, w.get("missingSequence").asLong());
    assertEquals(3, w.get("epoch").asLong());
    assertTrue(w.get("waitingSeconds").asLong() >= 299, w.toString());
    assertEquals(StreamWait.RECOVERY, w.get("recovery").asText());

    ProgressSource source =
        new ShardsProgressSource(
            new ProgressReader(one),
            DirectionMapping.of("p/i/d", one),
            dir.resolve("dlq").toString());
    JsonNode doc =
        ProgressDocument.build(
            SyncState.RUNNING, source, java.util.Optional.empty(), Instant.now());
    assertFalse(doc.get("canCutBack").asBoolean());
    assertTrue(
        doc.get("cutBack")
            .get("blockedBy")
            .toString()
            .contains("partition 0 waits for sequence 11"),
        doc.toString());
    assertEquals(
        11, doc.get("shards").get("shardw").get("waiting").get(0).get("missingSequence").asLong());
  }

  @Test
  void badAtIsBadInput(@TempDir Path dir) throws Exception {
    Path shardsFile = OperateFixtures.writeShardsFile(dir, shards);
    assertEquals(2, run("status", "--shards", shardsFile.toString(), "--at", "yesterday").code());
  }

  static OperateFixtures.Run run(String... args) {
    return OperateFixtures.run(args);
  }
}
