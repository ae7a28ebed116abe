package dev.reverserepl.launcher.cli;

import dev.reverserepl.launcher.operate.ControlOptions;
import dev.reverserepl.launcher.run.LocalRun;
import dev.reverserepl.launcher.run.LocalSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rr local}: the whole chain on embedded servers, ending with a verification. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole chain on this machine and verify every shard.",
      "",
      "Embedded MySQL shards created from a sample (or given) schema, an embedded Kafka broker, a generated"
          + " workload, the ordering and writer pipelines on the DirectRunner, live progress, and a verification that"
          + " every shard holds exactly the rows the workload implies.",
      "With the gcloud Spanner and Pub/Sub emulators (used when both are installed; --emulators insists,"
          + " --no-emulators refuses) the workload is committed into the Spanner emulator, read through its change"
          + " stream, buffered in the Pub/Sub emulator, and every shard is verified against Spanner itself.",
      "A temporary work directory is removed after a verified run and kept (and named) otherwise.",
      "Exit code 0 only when every shard matches, 1 otherwise."
    })
public final class LocalCommand implements Callable<Integer> {
  @Option(
      names = "--shards",
      defaultValue = "2",
      paramLabel = "<file>",
      description = "Number of MySQL shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--changes",
      defaultValue = "3000",
      paramLabel = "<n>",
      description = "Replicated row changes to generate (default: ${DEFAULT-VALUE}).")
  long changes;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      defaultValue = "42",
      description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--session",
      paramLabel = "<file>",
      description = "Session file (default: the bundled sample).")
  Path session;

  @Option(
      names = "--schema",
      paramLabel = "<file>",
      description =
          "MySQL schema for the shards (default: the bundled sample; required with --session).")
  Path schema;

  @Option(
      names = "--spanner-schema",
      paramLabel = "<file>",
      description =
          "Spanner DDL for the emulator database (default: the bundled sample; needed with --session and the emulators).")
  Path spannerSchema;

  @Option(
      names = "--emulators",
      negatable = true,
      description =
          "Run through the gcloud Spanner and Pub/Sub emulators (--no-emulators: never; default: when both are installed).")
  Boolean emulators;

  @Option(
      names = "--buffer",
      defaultValue = "kafka",
      paramLabel = "kafka|none",
      description =
          "Buffer between the pipelines without the emulators (default: ${DEFAULT-VALUE}; with them it is Pub/Sub).")
  String buffer;

  @Option(
      names = "--partitions-per-shard",
      defaultValue = "1",
      paramLabel = "<n>",
      description = "Apply partitions per shard (default: ${DEFAULT-VALUE}).")
  int partitionsPerShard;

  @Option(
      names = "--keep",
      description = "Leave the servers running afterwards and print how to connect (Ctrl-C ends).")
  boolean keep;

  @Option(
      names = "--work-dir",
      paramLabel = "<dir>",
      description = "Where files of the run go (default: a new temporary directory).")
  Path workDir;

  @Mixin ControlOptions api;

  @Override
  public Integer call() throws Exception {
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
    }
    if (session != null && schema == null) {
      throw new IllegalArgumentException(
          "--session needs --schema (the MySQL schema to create the shards from)");
    }
    LocalSettings settings =
        new LocalSettings(
                shards,
                changes,
                seed,
                session,
                schema,
                buffer,
                partitionsPerShard,
                keep,
                workDir,
                api.enabled() ? api.settings() : null)
            .withEmulators(
                emulators == null
                    ? LocalSettings.EmulatorMode.AUTO
                    : emulators ? LocalSettings.EmulatorMode.ON : LocalSettings.EmulatorMode.OFF)
            .withSpannerSchema(spannerSchema);
    return new LocalRun(settings, System.out).call();
  }
}
