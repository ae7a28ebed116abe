package dev.reverserepl.launcher.run;

import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.ControlSettings;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.ProgressReader;
import dev.reverserepl.launcher.operate.ShardsPauseControl;
import dev.reverserepl.launcher.operate.ShardsProgressSource;
import dev.reverserepl.launcher.operate.SyncState;
import dev.reverserepl.launcher.operate.SyncStateMachine;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.writer.WriterPipeline;
import dev.reverserepl.writer.options.WriterOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code rr run}: the ordering and the writer pipeline side by side on the DirectRunner against
 * real endpoints (Spanner change stream, Pub/Sub or Kafka, MySQL shards), with progress lines and
 * the control API, until stopped. Both read their options from the same {@code --name=value} list,
 * as their Flex Templates would.
 */
public final class PipelinesRun {
  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);

  public PipelinesRun(PrintStream out) {
    this.out = out;
  }

  /** Ends a running {@link #run}: both pipelines are cancelled, positions stay in the shards. */
  public void stop() {
    stopped.countDown();
  }

  /** Which jobs one {@code rr run} process runs; each can be stopped and started on its own. */
  public enum Pipelines {
    ORDERING,
    WRITER,
    BOTH;

    boolean ordering() {
      return this != WRITER;
    }

    boolean writer() {
      return this != ORDERING;
    }
  }

  public int run(String[] pipelineArgs, ControlSettings control, int progressEverySeconds)
      throws InterruptedException {
    return run(pipelineArgs, Pipelines.BOTH, control, progressEverySeconds);
  }

  /**
   * Runs the chosen jobs until {@link #stop} (or SIGTERM, which waits for the jobs to be
   * cancelled). A new ordering job resumes from the shards' positions as a new epoch; a new writer
   * rewinds its buffer to just before them.
   */
  public int run(
      String[] pipelineArgs, Pipelines which, ControlSettings control, int progressEverySeconds)
      throws InterruptedException {
    // The two interfaces share some names with different defaults, which Beam refuses in one
    // options object:
    // each pipeline gets the options it declares, plus every option neither declares (runner,
    // project, ...).
    OrderingOptions ordering =
        PipelineOptionsFactory.fromArgs(
                argsFor(pipelineArgs, OrderingOptions.class, WriterOptions.class))
            .withValidation()
            .as(OrderingOptions.class);
    WriterOptions writer =
        PipelineOptionsFactory.fromArgs(
                argsFor(pipelineArgs, WriterOptions.class, OrderingOptions.class))
            .withValidation()
            .as(WriterOptions.class);
    ordering.as(DirectOptions.class).setBlockOnRun(false);
    writer.as(DirectOptions.class).setBlockOnRun(false);
    List<Shard> shards = ShardsFile.load(writer.getSourceShardsFilePath());
    ProgressReader reader =
        new ProgressReader(shards).withPartitionsPerShard(ordering.getPartitionsPerShard());

    SyncStateMachine machine = new SyncStateMachine();
    machine.transition(SyncState.STARTING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    if (which.writer()) {
      pause.clearFlags();
    }
    String source =
        ordering.getChangeRecordsPath().isEmpty()
            ? ordering.getSpannerProjectId()
                + "/"
                + ordering.getInstanceId()
                + "/"
                + ordering.getDatabaseId()
            : ordering.getChangeRecordsPath();
    String dlq =
        which.writer()
            ? writer.getDeadLetterQueueDirectory()
            : ordering.getDeadLetterQueueDirectory();
    ShardsProgressSource progress =
        new ShardsProgressSource(
            reader, DirectionMapping.of(source, shards), dlq == null || dlq.isEmpty() ? null : dlq);
    // commit (cut-back) and reverse: POST /api/v1/commit, POST /api/v1/reverse (docs/operate.md,
    // cut-back runbook)
    dev.reverserepl.launcher.cutback.CutBackCoordinator cutBack =
        dev.reverserepl.launcher.cutback.CutBackCoordinator.forRun(
            shards,
            dev.reverserepl.common.session.SessionMapping.load(writer.getSessionFilePath()),
            pause,
            progress,
            ordering.getChangeRecordsPath().isEmpty()
                ? new dev.reverserepl.launcher.verify.SpannerTarget(
                    ordering.getSpannerProjectId(),
                    ordering.getInstanceId(),
                    ordering.getDatabaseId(),
                    java.util.Optional.empty(),
                    ordering.getSpannerEmulatorHost())
                : null);
    ControlServer.Handle api =
        control == null
            ? null
            : ControlServer.start(
                control,
                new dev.reverserepl.launcher.cutback.CutBackProgress(progress, cutBack),
                cutBack);
    if (api != null) {
      dev.reverserepl.launcher.cutback.CutBackApi.register(api, cutBack);
    }
    PipelineResult orderingRun = which.ordering() ? OrderingPipeline.run(ordering) : null;
    PipelineResult writerRun = which.writer() ? WriterPipeline.run(writer) : null;
    machine.transition(SyncState.RUNNING);
    out.println("run: " + which.name().toLowerCase(java.util.Locale.ROOT) + " started");
    if (api != null) {
      api.announce("run").forEach(out::println);
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop();
              try {
                finished.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    ProgressPrinter printer =
        new ProgressPrinter(
            reader,
            new ProgressPrinter.Pipelines(() -> orderingRun, () -> writerRun),
            ProgressPrinter.Plan.live(),
            out);
    if (progressEverySeconds > 0) {
      printer.start(Duration.ofSeconds(progressEverySeconds));
    }
    int exit = ExitCodes.OK;
    try {
      while (!stopped.await(1, TimeUnit.SECONDS)) {
        SourceCommits.observe(progress, orderingRun, writerRun);
        if (failed(orderingRun) || failed(writerRun)) {
          out.println(
              "run: a pipeline stopped: ordering "
                  + state(orderingRun)
                  + ", writer "
                  + state(writerRun));
          machine.transition(SyncState.FAILED);
          exit = ExitCodes.FAILED;
          break;
        }
      }
    } finally {
      printer.close();
      cancel(orderingRun);
      cancel(writerRun);
      if (api != null) {
        api.close();
      }
      out.println("run: stopped");
      out.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down.
      }
    }
    return exit;
  }

  private static String state(PipelineResult r) {
    return r == null ? "not run" : r.getState().toString();
  }

  static String[] argsFor(String[] args, Class<?> own, Class<?> other) {
    java.util.Set<String> mine = properties(own);
    java.util.Set<String> theirs = properties(other);
    List<String> out = new java.util.ArrayList<>();
    for (String a : args) {
      String name = a.replaceFirst("^--", "").split("=", 2)[0];
      if (mine.contains(name) || !theirs.contains(name)) {
        out.add(a);
      }
    }
    return out.toArray(String[]::new);
  }

  private static java.util.Set<String> properties(Class<?> options) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (java.lang.reflect.Method m : options.getDeclaredMethods()) {
      String n = m.getName();
      if ((n.startsWith("get") && n.length() > 3) || (n.startsWith("is") && n.length() > 2)) {
        String p = n.substring(n.startsWith("get") ? 3 : 2);
        names.add(Character.toLowerCase(p.charAt(0)) + p.substring(1));
      }
    }
    return names;
  }

  private static boolean failed(PipelineResult r) {
    if (r == null) {
      return false;
    }
    PipelineResult.State s = r.getState();
    return s == PipelineResult.State.FAILED
        || s == PipelineResult.State.CANCELLED
        || s == PipelineResult.State.STOPPED;
  }

  private static void cancel(PipelineResult r) {
    if (r == null) {
      return;
    }
    try {
      if (!r.getState().isTerminal()) {
        r.cancel();
      }
    } catch (Exception e) {
      // Already stopping: nothing more to do.
    }
  }
}
