package dev.reverserepl.launcher.run;

import dev.reverserepl.common.envelope.EnvelopeHandOff;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.ordering.OrderChanges;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.OrderingResult;
import dev.reverserepl.ordering.sink.HandOffSink;
import dev.reverserepl.ordering.sink.KafkaSink;
import dev.reverserepl.ordering.sink.WriteDeadLetters;
import dev.reverserepl.ordering.source.ChangeRecordFiles;
import dev.reverserepl.ordering.source.FlowGate;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.source.HandOffEnvelopeSource;
import dev.reverserepl.writer.source.KafkaEnvelopeSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Runs ordering and writer on the DirectRunner over change-record files into real MySQL shards and
 * accounts for every change. Inputs are loaded and every change-record line is checked before
 * anything runs, so a bad file is a clear error naming file, line and field, not a half-applied
 * replay.
 */
public final class ReplayRunner {
  /** Changes read and not yet out of ordering at once (the room doubles if a slice needs more). */
  static final long REPLAY_IN_FLIGHT = 20_000;

  private final PrintStream out;
  private final long expectedApplied;

  public ReplayRunner(PrintStream out) {
    this(out, 0);
  }

  private ReplayRunner(PrintStream out, long expectedApplied) {
    this.out = out;
    this.expectedApplied = expectedApplied;
  }

  /**
   * A runner whose progress lines show how many row changes are expected to be applied (e.g. a
   * known workload).
   */
  public ReplayRunner withExpectedApplied(long rowChanges) {
    return new ReplayRunner(out, rowChanges);
  }

  /** The loaded and checked inputs of a replay. */
  private record Inputs(SessionMapping session, List<Shard> shards) {}

  public ReplaySummary run(ReplayRequest request) {
    Inputs in = load(request);
    List<Shard> shards = in.shards();
    long epoch = System.currentTimeMillis();
    OrderingConfig ordering = orderingConfig(request, in, epoch);
    try (ScannedInput scanned = ScannedInput.scan(out, request, in.shards().size(), ordering)) {
      return run(request, in, ordering, scanned, epoch);
    }
  }

  private ReplaySummary run(
      ReplayRequest request, Inputs in, OrderingConfig ordering, ScannedInput scanned, long epoch) {
    List<Shard> shards = in.shards();
    java.time.Instant lastCommit = scanned.lastCommit();
    WriterConfig writer =
        WriterConfig.of(shards, in.session(), request.deadLetterDirectory())
            .withSourceOffset(request.sourceOffset());

    SyncStateMachine machine = new SyncStateMachine();
    machine.transition(SyncState.STARTING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    ShardsProgressSource progressSource =
        new ShardsProgressSource(
            new ProgressReader(shards),
            DirectionMapping.of(request.changesPath(), shards),
            request.deadLetterDirectory());
    progressSource.observeSourceCommit(lastCommit);
    ControlServer.Handle api =
        request.control() == null
            ? null
            : ControlServer.start(request.control(), progressSource, pause);
    if (api != null) {
      api.announce("replay").forEach(out::println);
    }
    machine.transition(SyncState.RUNNING);
    Runs runs = new Runs(new AtomicReference<>(), new AtomicReference<>());
    ProgressPrinter printer = startPrinter(request, shards, runs, scanned.rowChanges());
    try {
      runPipelines(request, ordering, writer, scanned, "rr-replay-" + epoch, shards.size(), runs);
      machine.transition(SyncState.COMPLETED);
    } catch (RuntimeException e) {
      machine.transition(SyncState.FAILED);
      throw new IllegalStateException("replay failed: " + failureLine(e, shards), e);
    } finally {
      printer.close();
      if (api != null) {
        api.close();
      }
    }
    if (request.progressEverySeconds() > 0) {
      printer.printNow();
    }
    ReplaySummary summary =
        summary(
            MetricsView.of(runs.ordering().get(), true),
            MetricsView.of(runs.writer().get(), true),
            shards);
    reportUnknownTables(summary, request.sessionPath());
    return summary;
  }

  /** Loads the session and shards files. */
  private Inputs load(ReplayRequest request) {
    SessionMapping session = SessionMapping.load(request.sessionPath());
    List<Shard> shards = ShardsFile.load(request.shardsPath());
    createDeadLetterDirectory(request.deadLetterDirectory());
    return new Inputs(session, shards);
  }

  private static OrderingConfig orderingConfig(ReplayRequest request, Inputs in, long epoch) {
    return OrderingConfig.of(in.session(), in.shards(), epoch)
        .withPartitionsPerShard(request.partitionsPerShard())
        .withShardIdFetcherClass(request.shardIdFetcherClass());
  }

  private static void createDeadLetterDirectory(String dir) {
    try {
      Files.createDirectories(Path.of(dir));
    } catch (Exception e) {
      if (!dir.contains("://")) {
        throw new IllegalArgumentException(
            "cannot create the dead-letter directory " + dir + ": " + e.getMessage());
      }
    }
  }

  /** What the progress lines and the summary read the pipelines' metrics from. */
  private record Runs(
      AtomicReference<PipelineResult> ordering, AtomicReference<PipelineResult> writer) {}

  private ProgressPrinter startPrinter(
      ReplayRequest request, List<Shard> shards, Runs runs, long rowChanges) {
    ProgressPrinter printer =
        new ProgressPrinter(
            new ProgressReader(shards),
            new ProgressPrinter.Pipelines(runs.ordering()::get, runs.writer()::get),
            ProgressPrinter.Plan.bounded(rowChanges, expectedApplied),
            out);
    if (request.progressEverySeconds() > 0) {
      printer.start(Duration.ofSeconds(request.progressEverySeconds()));
    }
    return printer;
  }

  private void runPipelines(
      ReplayRequest request,
      OrderingConfig ordering,
      WriterConfig writer,
      ScannedInput scanned,
      String topic,
      int partitions,
      Runs runs) {
    switch (request.buffer()) {
      case NONE -> runHandedOff(request, ordering, writer, scanned, runs);
      case KAFKA -> runThroughKafka(request, ordering, writer, scanned, topic, partitions, runs);
    }
  }

  /**
   * {@link ReplayBuffer#NONE}: the ordering pipeline hands its envelopes to the writer pipeline
   * through a bounded buffer in this process ({@link EnvelopeHandOff}); the two run side by side,
   * each on a worker thread of its own, so ordering goes on while the writer waits for MySQL (in
   * one pipeline on one thread they took turns; a second thread in one DirectRunner costs more in
   * its driver than it gains).
   */
  private static void runHandedOff(
      ReplayRequest request,
      OrderingConfig ordering,
      WriterConfig writer,
      ScannedInput scanned,
      Runs runs) {
    try (FlowGate gate = FlowGate.open(REPLAY_IN_FLIGHT);
        EnvelopeHandOff handOff = EnvelopeHandOff.open(REPLAY_IN_FLIGHT)) {
      Pipeline w = Pipeline.create(directOptions());
      w.apply("ReadHandOff", HandOffEnvelopeSource.from(handOff.id()))
          .apply("ApplyEnvelopes", ApplyEnvelopes.with(writer));
      Pipeline o = Pipeline.create(directOptions());
      ordered(o, request, ordering, gate, scanned)
          .envelopes()
          .apply("HandOff", HandOffSink.to(handOff.id()));
      PipelineResult rw = w.run();
      runs.writer().set(rw);
      PipelineResult ro = o.run();
      runs.ordering().set(ro);
      awaitSideBySide(ro, rw, handOff);
    }
  }

  /**
   * Waits for both pipelines: the writer's end once ordering finished and it took everything. A
   * failure of either ends the other through the hand-off instead of leaving it waiting, and its
   * own exception is the one thrown.
   */
  static void awaitSideBySide(
      PipelineResult ordering, PipelineResult writer, EnvelopeHandOff handOff) {
    try {
      while (!ended(ordering)) {
        // a failed writer's own exception comes out of ended(writer)
        if (ended(writer)) {
          throw new IllegalStateException(
              "writer pipeline ended in state "
                  + writer.getState()
                  + " before the ordering pipeline finished");
        }
      }
    } catch (RuntimeException e) {
      handOff.fail(e);
      cancel(ordering);
      cancel(writer);
      throw e;
    }
    finish(ordering, "ordering pipeline");
    handOff.finish();
    finish(writer, "writer pipeline");
  }

  // Waits a little; a failed pipeline's exception comes out here.
  private static boolean ended(PipelineResult r) {
    PipelineResult.State s = r.waitUntilFinish(org.joda.time.Duration.millis(100));
    return s != null && s.isTerminal();
  }

  private static void cancel(PipelineResult r) {
    try {
      if (!r.getState().isTerminal()) {
        r.cancel();
      }
    } catch (Exception ignored) {
      // already ended
    }
  }

  /**
   * The file read and the ordering stages, paced by the gate (ordering rule S5: the DirectRunner
   * would otherwise read the whole file before releasing anything), routing dead letters written.
   */
  private static OrderingResult ordered(
      Pipeline p,
      ReplayRequest request,
      OrderingConfig ordering,
      FlowGate gate,
      ScannedInput scanned) {
    OrderingResult ordered =
        p.apply(
                "ReadChangeRecords",
                ChangeRecordFiles.from(request.changesPath())
                    .withFlowGate(gate)
                    .withScan(scanned.files()))
            .apply(
                "OrderChanges",
                OrderChanges.with(ordering)
                    .withFlowGate(gate)
                    .withFileHistory(scanned.history().source()));
    ordered
        .deadLetters()
        .apply("RoutingDeadLetters", WriteDeadLetters.to(request.deadLetterDirectory()));
    return ordered;
  }

  /**
   * {@link ReplayBuffer#KAFKA}: the ordering pipeline publishes to a new topic, then the writer
   * pipeline reads what was published.
   */
  private void runThroughKafka(
      ReplayRequest request,
      OrderingConfig ordering,
      WriterConfig writer,
      ScannedInput scanned,
      String topic,
      int partitions,
      Runs runs) {
    createTopic(request.kafkaBootstrapServers(), topic, Math.max(1, partitions));
    PipelineResult r1;
    try (FlowGate gate = FlowGate.open(REPLAY_IN_FLIGHT)) {
      Pipeline p1 = Pipeline.create(directOptions());
      ordered(p1, request, ordering, gate, scanned)
          .envelopes()
          .apply("ToKafka", KafkaSink.to(request.kafkaBootstrapServers(), topic));
      r1 = p1.run();
      runs.ordering().set(r1);
      finish(r1, "ordering pipeline");
    }
    MetricsView m = MetricsView.of(r1, true);
    long messages =
        m.get(OrderingMetrics.NAMESPACE, OrderingMetrics.ENVELOPES)
            + m.get(OrderingMetrics.NAMESPACE, OrderingMetrics.MARKERS);
    out.println("replay: ordering published " + messages + " envelopes to Kafka topic " + topic);
    if (messages > 0) {
      Pipeline p2 = Pipeline.create(directOptions());
      p2.apply(
              "ReadKafka",
              new KafkaEnvelopeSource(
                  request.kafkaBootstrapServers(),
                  topic,
                  // one topic per replay: its consumer group is named after it
                  topic,
                  messages,
                  request.deadLetterDirectory()))
          .apply("ApplyEnvelopes", ApplyEnvelopes.with(writer));
      PipelineResult r2 = p2.run();
      runs.writer().set(r2);
      finish(r2, "writer pipeline");
    }
  }

  private void reportUnknownTables(ReplaySummary summary, String sessionPath) {
    summary
        .unknownTables()
        .forEach(
            (table, n) ->
                out.println(
                    "replay: table "
                        + table
                        + " is not in the session file "
                        + sessionPath
                        + " (neither replicated nor Spanner-only): "
                        + n
                        + " row change(s) skipped"));
  }

  /**
   * One line for a failed run: the distinct messages down the chain, and for every shard the
   * message names (as {@code shard <id>}) where it lives, so that the operator sees which host:port
   * to look at.
   */
  static String failureLine(Throwable e, List<Shard> shards) {
    String line = dev.reverserepl.launcher.operate.ShardError.cause(e);
    List<String> where = new java.util.ArrayList<>();
    for (Shard s : shards) {
      java.util.regex.Pattern named =
          java.util.regex.Pattern.compile(
              "shard '?" + java.util.regex.Pattern.quote(s.logicalShardId()) + "'?(?![\\w-])");
      if (named.matcher(line).find() && !line.contains(s.host() + ":" + s.port())) {
        where.add(dev.reverserepl.launcher.operate.ShardError.where(s));
      }
    }
    return where.isEmpty() ? line : line + " [" + String.join(", ", where) + "]";
  }

  private static void finish(PipelineResult r, String what) {
    PipelineResult.State state = r.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(what + " ended in state " + state);
    }
  }

  static ReplaySummary summary(MetricsView ordering, MetricsView writer, List<Shard> shards) {
    String o = OrderingMetrics.NAMESPACE;
    String w = WriterMetrics.NAMESPACE;
    Map<String, Long> applied = writer.perShard(w, WriterMetrics.APPLIED);
    Map<String, Long> dead = writer.perShard(w, WriterMetrics.DEAD_LETTERED);
    Map<String, ReplaySummary.ShardCounts> perShard = new TreeMap<>();
    for (Shard s : shards) {
      String id = s.logicalShardId();
      perShard.put(
          id,
          new ReplaySummary.ShardCounts(applied.getOrDefault(id, 0L), dead.getOrDefault(id, 0L)));
    }
    long duplicates =
        writer.sumPerShard(w, WriterMetrics.SKIPPED_DUPLICATES)
            + writer.sumPerShard(w, WriterMetrics.STALE_EPOCH);
    long notReplicated = writer.sumPerShard(w, WriterMetrics.NOT_REPLICATED);
    return new ReplaySummary(
        ordering.get(o, OrderingMetrics.CHANGES_IN),
        ordering.get(o, OrderingMetrics.CHANGES_FILTERED_FORWARD_MIGRATION),
        ordering.get(o, OrderingMetrics.SKIPPED_TABLE_CHANGES) + notReplicated,
        ordering.perLabel(o, OrderingMetrics.UNKNOWN_TABLE_CHANGES),
        writer.sumPerShard(w, WriterMetrics.APPLIED),
        duplicates,
        ordering.get(o, OrderingMetrics.DEAD_LETTERED)
            + writer.sumPerShard(w, WriterMetrics.DEAD_LETTERED),
        perShard);
  }

  private static void createTopic(String bootstrap, String topic, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create Kafka topic " + topic + " on " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  static DirectOptions directOptions() {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setBlockOnRun(false);
    // One worker thread: the DirectRunner's driver re-submits itself to the same pool without
    // waiting, so every further thread lets it scan all transforms' timers beside the work instead
    // of between bundles (200 k changes into two shards: 6.9 k changes/s and 49 CPU s with one
    // thread, 5.4 k and 67 CPU s with four).
    o.setTargetParallelism(1);
    // Immutability and encodability checks copy every element; the coders are tested on their own.
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return o;
  }
}
