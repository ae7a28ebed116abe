package dev.reverserepl.launcher.run;

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
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

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
    ReplayPipelines.Runs runs =
        new ReplayPipelines.Runs(new AtomicReference<>(), new AtomicReference<>());
    ProgressPrinter printer = startPrinter(request, shards, runs, scanned.rowChanges());
    try {
      new ReplayPipelines(out, request, ordering, writer, scanned, runs)
          .run("rr-replay-" + epoch, shards.size());
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

  private ProgressPrinter startPrinter(
      ReplayRequest request, List<Shard> shards, ReplayPipelines.Runs runs, long rowChanges) {
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
}
