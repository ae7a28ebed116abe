package dev.reverserepl.launcher.run;

import dev.reverserepl.common.workload.WorkloadSummary;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.ordering.testing.EmbeddedKafka;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rr local}: embedded MySQL shards and Kafka, a generated workload, both pipelines, live
 * progress and a verification, in one process. With the emulators the chain runs through Spanner
 * and Pub/Sub instead ({@link LocalEmulatorRun}).
 */
public final class LocalRun implements Callable<Integer> {
  private final LocalSettings settings;
  private final PrintStream out;

  public LocalRun(LocalSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (LocalEmulatorRun.wanted(settings, out)) {
      return new LocalEmulatorRun(settings, out).call();
    }
    Instant started = Instant.now();
    EmbeddedKafka kafka = null;
    try (LocalEnvironment env = LocalEnvironment.prepare(settings, out)) {
      String bootstrap = null;
      ReplayBuffer buffer = ReplayBuffer.parse(settings.buffer());
      if (buffer == ReplayBuffer.KAFKA) {
        kafka = EmbeddedKafka.start();
        bootstrap = kafka.bootstrapServers();
        out.println("rr local: Kafka broker on " + bootstrap);
      }
      ReplayRequest request =
          ReplayRequest.of(
                  env.changes.toString(),
                  env.session.toString(),
                  env.shardsFile.toString(),
                  env.dir.resolve("dlq").toString())
              .withBuffer(buffer, bootstrap)
              .withPartitionsPerShard(settings.partitionsPerShard())
              .withControl(settings.control());
      ReplaySummary summary =
          new ReplayRunner(out).withExpectedApplied(env.workload.replicated()).run(request);
      out.println("rr local: replication summary " + summary.toJson());

      boolean matches =
          LocalVerification.verify(env.session, env.shardsFile, env.changes, out).matches();
      boolean countsRight = countsMatch(summary, env.workload);
      Duration took = Duration.between(started, Instant.now());
      out.printf(
          Locale.ROOT,
          "rr local: %s in %.1f s%n",
          matches && countsRight ? "VERIFIED: every shard matches the workload" : "MISMATCH",
          took.toMillis() / 1000.0);
      if (matches && countsRight) {
        env.succeeded();
      }
      if (settings.keep()) {
        env.keepRunning(
            out, bootstrap == null ? List.of() : List.of("Kafka bootstrap servers: " + bootstrap));
      }
      return matches && countsRight ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** Whether the replay accounted for every change of the workload; prints how when not. */
  private boolean countsMatch(ReplaySummary summary, WorkloadSummary workload) {
    boolean countsRight =
        summary.applied() == workload.replicated()
            && summary.filtered() == workload.filtered()
            && summary.skippedTables() == workload.skipped()
            && summary.deadLettered() == 0;
    if (!countsRight) {
      out.printf(
          Locale.ROOT,
          "rr local: counts differ from the workload: applied %d of %d, filtered %d of %d, skipped %d of %d, dead-lettered %d%n",
          summary.applied(),
          workload.replicated(),
          summary.filtered(),
          workload.filtered(),
          summary.skippedTables(),
          workload.skipped(),
          summary.deadLettered());
    }
    return countsRight;
  }
}
