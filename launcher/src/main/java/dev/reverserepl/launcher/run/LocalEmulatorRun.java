package dev.reverserepl.launcher.run;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseId;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.launcher.provision.GcpClients;
import dev.reverserepl.launcher.verify.SpannerTarget;
import dev.reverserepl.launcher.verify.VerificationReport;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.testing.Emulators;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code rr local} through the gcloud emulators: the workload is committed as real transactions
 * into the Spanner emulator, read back through {@code SpannerIO.readChangeStream} by the ordering
 * pipeline, buffered in the Pub/Sub emulator and applied by the writer; the verification then
 * compares every shard with Spanner itself.
 */
final class LocalEmulatorRun implements Callable<Integer> {
  private static final EmulatorResources.Names NAMES = EmulatorResources.LOCAL;
  private static final Duration ORDERING_TIMEOUT = Duration.ofMinutes(10);

  private final LocalSettings settings;
  private final PrintStream out;

  LocalEmulatorRun(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Resolves {@link LocalSettings#emulators()}: ON fails when an emulator is missing, AUTO falls
   * back loudly.
   */
  static boolean wanted(LocalSettings settings, PrintStream out) {
    LocalSettings.EmulatorMode mode =
        settings.emulators() == null ? LocalSettings.EmulatorMode.OFF : settings.emulators();
    if (mode == LocalSettings.EmulatorMode.OFF) {
      return false;
    }
    boolean customWithoutSpannerSchema =
        settings.session() != null && settings.spannerSchema() == null;
    if (mode == LocalSettings.EmulatorMode.ON) {
      if (customWithoutSpannerSchema) {
        throw new IllegalArgumentException(
            "--emulators with --session needs --spanner-schema (the Spanner DDL of the session's tables)");
      }
      if (!Emulators.available()) {
        throw new IllegalArgumentException(
            "--emulators: the gcloud SDK's cloud_spanner_emulator and pubsub-emulator are not "
                + "installed (gcloud components install cloud-spanner-emulator pubsub-emulator), or run with --no-emulators");
      }
      return true;
    }
    if (customWithoutSpannerSchema || !Emulators.available()) {
      out.println(
          "rr local: "
              + (customWithoutSpannerSchema
                  ? "no --spanner-schema for the given session"
                  : "gcloud emulators not installed")
              + ": running without them (change records straight into the ordering pipeline)");
      return false;
    }
    out.println(
        "rr local: gcloud Spanner and Pub/Sub emulators found: running through them (--no-emulators to skip)");
    return true;
  }

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    CompletableFuture<Emulators.Running> spannerStart =
        CompletableFuture.supplyAsync(Emulators::startSpanner);
    CompletableFuture<Emulators.Running> pubsubStart =
        CompletableFuture.supplyAsync(Emulators::startPubSub);
    try (LocalEnvironment env = LocalEnvironment.prepare(settings, out);
        Emulators.Running spannerEmu = spannerStart.join();
        Emulators.Running pubsubEmu = pubsubStart.join();
        GcpClients clients =
            GcpClients.open(NAMES.project(), spannerEmu.hostPort(), null, pubsubEmu.hostPort())) {
      out.println(
          "rr local: Spanner emulator on "
              + spannerEmu.hostPort()
              + ", Pub/Sub emulator on "
              + pubsubEmu.hostPort());
      SessionMapping session = SessionMapping.load(env.session.toString());
      Path spannerSchema =
          settings.spannerSchema() != null
              ? settings.spannerSchema()
              : env.sample("spanner-schema.sql");
      List<String> shardIds = env.shards.stream().map(Shard::logicalShardId).toList();
      EmulatorResources.create(
          clients,
          spannerSchema,
          shardIds,
          session.tables().stream().map(TableMapping::spannerTable).toList(),
          line -> out.println("rr local: " + line));
      String dlq = Files.createDirectories(env.dir.resolve("dlq")).toString();

      Timestamp start = Timestamp.now();
      SpannerWorkloadWriter.Written written =
          SpannerWorkloadWriter.to(
                  clients
                      .spanner()
                      .getDatabaseClient(
                          DatabaseId.of(NAMES.project(), NAMES.instance(), NAMES.database())))
              .wholeSecondTimestamps()
              .write(env.changes.toString());
      Timestamp end =
          Timestamp.ofTimeMicroseconds(
              written.lastCommit().toSqlTimestamp().getTime() * 1000 + 1_000_000);
      out.printf(
          Locale.ROOT,
          "rr local: committed %d Spanner transactions (%d mutations, %d tagged %s) between %s and %s%n",
          written.transactions(),
          written.mutations(),
          written.taggedTransactions(),
          "txBy=forward-migration",
          written.firstCommit(),
          written.lastCommit());
      out.println(
          "rr local: TIMESTAMP values were written in whole seconds: the Spanner emulator's change stream drops "
              + "fractional seconds (Spanner keeps microseconds; the chain without the emulators replicates them)");
      out.println(
          "rr local: the Spanner emulator fails overlapping read-write transactions, so the change-stream read runs on"
              + " one DirectRunner thread, where the read's watermark stays near its start for most of the read: the"
              + " shards get the changes in steps or when the read ends (the chain without the emulators applies while"
              + " it reads)");

      AtomicReference<PipelineResult> orderingRun = new AtomicReference<>();
      ProgressReader progress = new ProgressReader(env.shards);
      SyncStateMachine machine = new SyncStateMachine();
      ControlServer.Handle api = startApi(machine, env.shards, dlq, written.lastCommit());
      PipelineResult writer =
          EmulatorPipelines.writer(NAMES, pubsubEmu.httpUrl(), env.shards, session, dlq).run();
      ReplaySummary summary;
      try (ProgressPrinter printer =
          new ProgressPrinter(
              progress,
              new ProgressPrinter.Pipelines(orderingRun::get, () -> writer),
              // the emulator drops transaction tags, so forward-migration changes are applied too
              ProgressPrinter.Plan.bounded(0, env.workload.replicated() + env.workload.filtered()),
              out)) {
        printer.start(Duration.ofSeconds(2));
        PipelineResult ordering =
            EmulatorPipelines.ordering(
                    EmulatorPipelines.orderingOptions(
                        NAMES,
                        spannerEmu.hostPort(),
                        pubsubEmu.httpUrl(),
                        start,
                        end,
                        env.session,
                        env.shardsFile,
                        settings.partitionsPerShard(),
                        dlq))
                .run();
        orderingRun.set(ordering);
        finishOrdering(ordering);
        MetricsView o = MetricsView.of(ordering, true);
        long published = o.get(OrderingMetrics.NAMESPACE, OrderingMetrics.SEQUENCED);
        out.println(
            "rr local: ordering read the change stream and published "
                + published
                + " changes in "
                + (o.get(OrderingMetrics.NAMESPACE, OrderingMetrics.ENVELOPES)
                    + o.get(OrderingMetrics.NAMESPACE, OrderingMetrics.MARKERS))
                + " envelopes to the Pub/Sub emulator");
        awaitApplied(progress, writer, published);
        printer.printNow();
        machine.transition(SyncState.COMPLETED);
      } catch (RuntimeException e) {
        machine.transition(SyncState.FAILED);
        throw e;
      } finally {
        writer.cancel();
        if (api != null) {
          api.close();
        }
      }
      MetricsView w = MetricsView.of(writer, false);
      summary = ReplayRunner.summary(MetricsView.of(orderingRun.get(), true), w, env.shards);
      out.println("rr local: replication summary " + summary.toJson());
      long otherShard = w.get(EmulatorPipelines.NAMESPACE, EmulatorPipelines.OTHER_SHARD_ENVELOPES);
      if (otherShard > 0) {
        out.println(
            "rr local: the Pub/Sub emulator ignores subscription filters: "
                + otherShard
                + " envelopes delivered to another shard's subscription were left to their own");
      }

      boolean countsRight = countsRight(summary, env.workload);
      VerificationReport report =
          verify(env, session, spannerEmu.hostPort(), summary.filtered() > 0);
      boolean ok = report.matches() && countsRight;
      Duration took = Duration.between(started, Instant.now());
      out.printf(
          Locale.ROOT,
          "rr local: %s in %.1f s%n",
          ok ? "VERIFIED: every shard matches Spanner" : "MISMATCH",
          took.toMillis() / 1000.0);
      if (ok) {
        env.succeeded();
      }
      if (settings.keep()) {
        env.keepRunning(
            out,
            List.of(
                "Spanner emulator: "
                    + spannerEmu.hostPort()
                    + " (SPANNER_EMULATOR_HOST), database projects/"
                    + NAMES.project()
                    + "/instances/"
                    + NAMES.instance()
                    + "/databases/"
                    + NAMES.database(),
                "Pub/Sub emulator: "
                    + pubsubEmu.hostPort()
                    + " (PUBSUB_EMULATOR_HOST), topic "
                    + NAMES.topic()));
      }
      return ok ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      spannerStart.thenAccept(Emulators.Running::close);
      pubsubStart.thenAccept(Emulators.Running::close);
    }
  }

  /**
   * The control API of {@code rr replay}, over the shards this run writes to; null when it is
   * turned off.
   */
  private ControlServer.Handle startApi(
      SyncStateMachine machine, List<Shard> shards, String dlq, Timestamp lastCommit) {
    machine.transition(SyncState.STARTING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    ControlServer.Handle api = null;
    if (settings.control() != null) {
      String source = NAMES.project() + "/" + NAMES.instance() + "/" + NAMES.database();
      ShardsProgressSource progress =
          new ShardsProgressSource(
              new ProgressReader(shards), DirectionMapping.of(source, shards), dlq);
      progress.observeSourceCommit(
          Instant.ofEpochSecond(lastCommit.getSeconds(), lastCommit.getNanos()));
      api = ControlServer.start(settings.control(), progress, pause);
      api.announce("rr local").forEach(out::println);
    }
    machine.transition(SyncState.RUNNING);
    return api;
  }

  private static void finishOrdering(PipelineResult ordering) throws java.io.IOException {
    PipelineResult.State state =
        ordering.waitUntilFinish(org.joda.time.Duration.millis(ORDERING_TIMEOUT.toMillis()));
    if (state == null || !state.isTerminal()) {
      ordering.cancel();
      throw new IllegalStateException(
          "the ordering pipeline did not finish reading the change stream within "
              + ORDERING_TIMEOUT.toMinutes()
              + " minutes");
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("ordering pipeline ended in state " + state);
    }
  }

  /**
   * The writer reads Pub/Sub forever; it is done when the shards' progress tables account for every
   * published change (applied, or dead-lettered / not replicated as its metrics count).
   */
  private void awaitApplied(ProgressReader progress, PipelineResult writer, long published)
      throws InterruptedException {
    Duration limit = Duration.ofSeconds(Math.max(180, settings.changes() / 20));
    Instant deadline = Instant.now().plus(limit);
    while (true) {
      long applied = progress.read().stream().mapToLong(ShardProgress::appliedCount).sum();
      MetricsView m = MetricsView.of(writer, false);
      long other =
          m.sumPerShard(WriterMetrics.NAMESPACE, WriterMetrics.DEAD_LETTERED)
              + m.sumPerShard(WriterMetrics.NAMESPACE, WriterMetrics.NOT_REPLICATED);
      if (applied + other >= published) {
        return;
      }
      PipelineResult.State state = writer.getState();
      if (state.isTerminal()) {
        throw new IllegalStateException(
            "the writer pipeline ended in state "
                + state
                + " with "
                + applied
                + " of "
                + published
                + " changes applied");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the shards' progress tables show "
                + applied
                + " applied (+"
                + other
                + " dead-lettered or not replicated) of "
                + published
                + " published changes after "
                + limit.toSeconds()
                + " s; the writer is stopped");
      }
      Thread.sleep(500);
    }
  }

  /**
   * The counts against the workload. The Spanner emulator drops transaction tags from change
   * records, so its forward-migration transactions come back untagged and replicate like any other;
   * what was tagged is then either filtered or applied, never lost.
   */
  private boolean countsRight(ReplaySummary s, WorkloadSummary workload) {
    long leaked = workload.filtered() - s.filtered();
    if (leaked > 0) {
      out.println(
          "rr local: the Spanner emulator drops transaction tags from change records: "
              + leaked
              + " forward-migration changes replicated instead of being filtered (the filter is proven by the Kafka chain)");
    }
    boolean right =
        s.read() == workload.total()
            && s.applied() == workload.replicated() + leaked
            && s.skippedTables() == workload.skipped()
            && s.deadLettered() == 0
            && s.unaccounted() == 0;
    if (!right) {
      out.printf(
          Locale.ROOT,
          "rr local: counts differ from the workload: read %d of %d, applied %d of %d, filtered %d of %d, skipped %d of %d, dead-lettered %d%n",
          s.read(),
          workload.total(),
          s.applied(),
          workload.replicated() + leaked,
          s.filtered(),
          workload.filtered(),
          s.skippedTables(),
          workload.skipped(),
          s.deadLettered());
    }
    return right;
  }

  /**
   * MySQL against Spanner. Only when the filter really dropped forward-migration changes does
   * Spanner hold values the shards must not get (the generated forward-migration values never came
   * from MySQL); then the state the change records imply is the reference instead.
   */
  private VerificationReport verify(
      LocalEnvironment env, SessionMapping session, String spannerHost, boolean filtered) {
    if (filtered) {
      return LocalVerification.verify(env.session, env.shardsFile, env.changes, out);
    }
    Verifier verifier =
        new Verifier(
            session, env.shards, VerifySettings.defaults().withRecheckDelay(Duration.ofSeconds(1)));
    VerificationReport report =
        verifier.verifySpanner(
            new SpannerTarget(
                NAMES.project(),
                NAMES.instance(),
                NAMES.database(),
                Optional.empty(),
                spannerHost));
    out.println("rr local: verification against the Spanner emulator's database");
    report.print(out);
    return report;
  }
}
