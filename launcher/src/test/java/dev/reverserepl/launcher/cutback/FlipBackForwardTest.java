package dev.reverserepl.launcher.cutback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.OperateFixtures;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardConnector;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.launcher.provision.GcpClients;
import dev.reverserepl.launcher.run.EmulatorPipelines;
import dev.reverserepl.launcher.run.EmulatorResources;
import dev.reverserepl.launcher.run.MetricsView;
import dev.reverserepl.launcher.run.ReplayRequest;
import dev.reverserepl.launcher.run.ReplayRunner;
import dev.reverserepl.launcher.run.SpannerWorkloadWriter;
import dev.reverserepl.launcher.testing.TestEmulators;
import dev.reverserepl.launcher.verify.SpannerTarget;
import dev.reverserepl.launcher.verify.VerificationReport;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.reverse.ReverseSettings;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import dev.reverserepl.reverse.point.CutBackTable;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverse apply rule 6: after the flip back, Spanner → MySQL restarts from the recorded
 * change-stream start and applies exactly the changes Spanner took after the flip. Real parts
 * throughout: MariaDB shards with row-format binlogs, the Spanner and Pub/Sub emulators, a NEW_ROW
 * change stream that exists before the first write (so it holds the forward load and every write of
 * the reverse direction too), the production ordering pipeline and the writer on the DirectRunner.
 */
class FlipBackForwardTest {
  private static final String REVERSE_POSITIONS = ReversePositionTable.DEFAULT_NAME;

  /** One run's shards, Spanner database and emulator resources. */
  record Env(
      Path dir,
      Path sessionFile,
      SessionMapping session,
      List<Shard> shards,
      Path shardsFile,
      DatabaseClient db,
      EmulatorResources.Names names,
      SpannerTarget target,
      TestEmulators emulators) {
    String pubsubUrl() {
      return "http://" + emulators.pubsubHost();
    }
  }

  @Test
  void applyRule6_theForwardRestartFromTheFlipStartAppliesExactlyTheChangesSpannerTookAfterIt(
      @TempDir Path dir) throws Exception {
    Optional<TestEmulators> emu = TestEmulators.orSkip("FlipBackForwardTest.applyRule6_...");
    Assumptions.assumeTrue(emu.isPresent(), "no emulator");
    Env env = provisioned(dir, emu.get());
    forwardLoad(env);
    try {
      flipBackAndRestartForward(env);
    } finally {
      CutBackFixtures.unblockNewestFirst(env.session(), env.shards());
    }
  }

  private static void flipBackAndRestartForward(Env env) throws Exception {
    Instant start = reverseAndFlipBack(env);
    Map<String, Long> before = applied(env.shards());
    AfterFlipWrites.Written written = AfterFlipWrites.write(env.db(), env.shards());
    OrderingOptions ordering = orderingFrom(env, start, written.lastCommit());

    Instant forwardStarted = Instant.now();
    Forward run = runForward(env, ordering, written.total());
    double seconds = Duration.between(forwardStarted, Instant.now()).toMillis() / 1000.0;
    long reverseRecords =
        run.ordering()
            .get(
                OrderingMetrics.NAMESPACE,
                OrderingMetrics.UNKNOWN_TABLE_CHANGES
                    + OrderingMetrics.SEPARATOR
                    + REVERSE_POSITIONS);
    long routed = run.ordering().get(OrderingMetrics.NAMESPACE, OrderingMetrics.ROUTED);
    long skipped =
        run.ordering().get(OrderingMetrics.NAMESPACE, OrderingMetrics.SKIPPED_TABLE_CHANGES);
    System.out.printf(
        "MEASURED flip back -> forward restart: %d Spanner changes after the flip applied in %.2f s"
            + " (ordering read from %s to %s: %d routed, %d Spanner-only skipped, %d %s changes of"
            + " the reverse direction at or after the start)%n",
        written.total(),
        seconds,
        start,
        ordering.getEndTimestamp(),
        routed,
        skipped,
        reverseRecords,
        REVERSE_POSITIONS);
    // The read began at the reverse direction's last Spanner commit (its position row is seen), yet
    // not one of its row changes was routed: the emulator drops transaction tags, so a start
    // covering a reverse data commit would have routed it like any other change.
    assertTrue(reverseRecords >= 1, "the read covers the reverse's last commit: " + reverseRecords);
    assertEquals(written.total(), routed, "only the changes made after the flip are routed");
    assertEquals(written.spannerOnly(), skipped);
    assertEquals(0, run.ordering().get(OrderingMetrics.NAMESPACE, OrderingMetrics.DEAD_LETTERED));
    assertEquals(0, run.writer().sumPerShard(WriterMetrics.NAMESPACE, WriterMetrics.DEAD_LETTERED));
    Map<String, Long> rose = new LinkedHashMap<>();
    applied(env.shards()).forEach((id, n) -> rose.put(id, n - before.get(id)));
    assertEquals(written.perShard(), rose, "each shard applied exactly its changes after the flip");
    VerificationReport check = CutBackReverseTest.verify(env.session(), env.shards(), env.target());
    check.print(System.out);
    assertTrue(check.matches(), "MySQL equals Spanner after the forward restart");
  }

  /**
   * Fresh shards and Spanner database, then its change stream, metadata database, topic and
   * subscriptions before any write: the stream holds everything that follows, the forward load and
   * the reverse direction's writes included.
   */
  private static Env provisioned(Path dir, TestEmulators emu) throws Exception {
    Path sessionFile = dir.resolve("session.json");
    Files.writeString(sessionFile, CutBackFixtures.resource("/sample/session.json"));
    SessionMapping session = SessionMapping.load(sessionFile.toString());
    List<Shard> shards = CutBackFixtures.shards("shard1", "shard2");
    String dbName = "flip" + System.nanoTime() % 100000;
    DatabaseClient db =
        CutBackFixtures.database(CutBackFixtures.spanner(emu.spannerHost()), dbName);
    EmulatorResources.Names names =
        new EmulatorResources.Names(
            CutBackFixtures.PROJECT,
            CutBackFixtures.INSTANCE,
            dbName,
            dbName + "-meta",
            "flip_stream",
            dbName + "-envelopes");
    try (GcpClients clients =
        GcpClients.open(names.project(), emu.spannerHost(), null, emu.pubsubHost())) {
      EmulatorResources.provision(
          clients,
          names,
          shards.stream().map(Shard::logicalShardId).toList(),
          session.tables().stream().map(TableMapping::spannerTable).toList(),
          line -> {});
    }
    SpannerTarget target =
        new SpannerTarget(
            names.project(), names.instance(), dbName, Optional.empty(), emu.spannerHost());
    return new Env(
        dir,
        sessionFile,
        session,
        shards,
        OperateFixtures.writeShardsFile(dir, shards),
        db,
        names,
        target,
        emu);
  }

  /**
   * The ordering job's options from the flip start to a second past the last write. The shards'
   * forward positions lie before the commit point, so the start skips the interval between — only
   * the reverse direction's own writes are there, already in MySQL — which a launched job refuses
   * unless told (ordering rule R3).
   */
  private static OrderingOptions orderingFrom(Env env, Instant start, Timestamp lastWrite) {
    OrderingOptions o =
        EmulatorPipelines.orderingOptions(
            env.names(),
            env.emulators().spannerHost(),
            env.pubsubUrl(),
            Timestamp.ofTimeSecondsAndNanos(start.getEpochSecond(), start.getNano()),
            Timestamp.ofTimeMicroseconds(lastWrite.toSqlTimestamp().getTime() * 1000 + 1_000_000),
            env.sessionFile(),
            env.shardsFile(),
            1,
            env.dir().resolve("dlq").toString());
    ConfigException refused =
        assertThrows(ConfigException.class, () -> OrderingPipeline.resumeFromShards(o));
    assertTrue(refused.getMessage().contains("allowStartAfterShardPositions"), refused.toString());
    o.setAllowStartAfterShardPositions(true);
    OrderingPipeline.resumeFromShards(o);
    assertEquals(start, Instant.parse(o.getStartTimestamp()));
    return o;
  }

  /** Spanner ← workload transactions; the shards ← the same changes through the writer's replay. */
  private static void forwardLoad(Env env) throws Exception {
    Path changes = env.dir().resolve("changes.jsonl");
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(200)
            .withSeed(11)
            .withShardIds(List.of("shard1", "shard2"))
            .withForwardMigrationShare(0)
            .withSkippedTableShare(0);
    try (ChangeRecordWriter w = ChangeRecordWriter.create(changes)) {
      WorkloadGenerator.forSessionFile(env.sessionFile().toString(), spec).generate(w::write);
    }
    SpannerWorkloadWriter.to(env.db()).write(changes.toString());
    new ReplayRunner(new PrintStream(OutputStream.nullOutputStream()))
        .run(
            ReplayRequest.of(
                changes.toString(),
                env.sessionFile().toString(),
                env.shardsFile().toString(),
                env.dir().resolve("replay-dlq").toString()));
  }

  /**
   * Block, commit, application writes on MySQL, reverse until Spanner holds them, block again and
   * flip back; returns the start recorded on the shards.
   */
  private static Instant reverseAndFlipBack(Env env) throws Exception {
    SessionMapping session = env.session();
    List<Shard> shards = env.shards();
    SpannerTarget target = env.target();
    SyncStateMachine run = new SyncStateMachine(SyncState.COMPLETED);
    ShardsProgressSource progress =
        new ShardsProgressSource(
            new ProgressReader(shards),
            DirectionMapping.of(
                target.project() + "/" + target.instance() + "/" + target.database(), shards),
            null);
    WriteBlocker blocker = new WriteBlocker(session, new ShardConnector());
    try (SpannerConnection sp = SpannerConnection.open(target)) {
      CutBackCoordinator cutBack =
          new CutBackCoordinator(
              shards,
              session,
              new ShardsPauseControl(run, shards),
              progress,
              null,
              sp,
              ReverseSettings.defaults(),
              Clock.systemUTC());
      // REVOKE: both shards share one server, whose read_only the commit's unblocking of the first
      // shard would turn off while the second's record restores it on.
      for (Shard s : shards) {
        assertTrue(blocker.block(s, BlockMethod.REVOKE, null).blocked());
      }
      cutBack.commit(Duration.ofSeconds(1), Duration.ofSeconds(120));
      for (int i = 0; i < shards.size(); i++) {
        CutBackReverseTest.appWrites(shards.get(i), 1 + i * 10_000, 60);
      }
      cutBack.reverse(Duration.ofSeconds(60));
      ReversePositionTable table = new ReversePositionTable(REVERSE_POSITIONS);
      CutBackReverseTest.await(
          () -> CutBackReverseTest.caughtUp(shards, table, sp.client()),
          Duration.ofSeconds(120),
          "reverse caught up");
      for (Shard s : shards) {
        assertTrue(blocker.block(s, BlockMethod.AUTO, null).blocked());
      }
      cutBack.reverse(Duration.ofSeconds(60));
      cutBack.close();
    }
    assertTrue(CutBackReverseTest.verify(session, shards, target).matches(), "equal at the flip");
    return recordedStart(shards);
  }

  /** The change-stream start the flip back recorded in every shard's {@code rr_cutback}. */
  private static Instant recordedStart(List<Shard> shards) throws Exception {
    Instant start = null;
    for (Shard s : shards) {
      try (Connection c = CutBackFixtures.server().connect(s.dbName())) {
        Instant recorded = CutBackTable.read(c, s.logicalShardId()).orElseThrow().flipStart().get();
        assertTrue(start == null || start.equals(recorded), "one start on every shard");
        start = recorded;
      }
    }
    return start;
  }

  record Forward(MetricsView ordering, MetricsView writer) {}

  /**
   * The writer on the shards' subscriptions, then the bounded ordering run; waits until the shards'
   * progress tables account for every published change and a further second adds nothing.
   */
  private static Forward runForward(Env env, OrderingOptions ordering, long expected)
      throws Exception {
    List<Shard> shards = env.shards();
    String dlq = Files.createDirectories(env.dir().resolve("dlq")).toString();
    PipelineResult writer =
        EmulatorPipelines.writer(env.names(), env.pubsubUrl(), shards, env.session(), dlq).run();
    try {
      Map<String, Long> before = applied(shards);
      PipelineResult order = EmulatorPipelines.ordering(ordering).run();
      PipelineResult.State state = order.waitUntilFinish(org.joda.time.Duration.standardMinutes(3));
      assertEquals(PipelineResult.State.DONE, state, "the bounded ordering run finished");
      long published =
          MetricsView.of(order, true).get(OrderingMetrics.NAMESPACE, OrderingMetrics.SEQUENCED);
      assertEquals(expected, published, "changes published");
      CutBackReverseTest.await(
          () -> rise(shards, before) >= published || writer.getState().isTerminal(),
          Duration.ofSeconds(90),
          "the writer applied what was published");
      Thread.sleep(1000);
      return new Forward(MetricsView.of(order, true), MetricsView.of(writer, false));
    } finally {
      writer.cancel();
    }
  }

  private static long rise(List<Shard> shards, Map<String, Long> before) {
    long n = 0;
    for (Map.Entry<String, Long> e : applied(shards).entrySet()) {
      n += e.getValue() - before.get(e.getKey());
    }
    return n;
  }

  /** Applied row changes per shard, from the shards' {@code rr_applied_position}. */
  private static Map<String, Long> applied(List<Shard> shards) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ShardProgress p : new ProgressReader(shards).read()) {
      out.put(p.shardId(), p.appliedCount());
    }
    return out;
  }
}
