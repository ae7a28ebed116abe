package dev.reverserepl.launcher.cli;

import dev.reverserepl.launcher.operate.ControlOptions;
import dev.reverserepl.launcher.run.PipelinesRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code rr run}: both pipelines on the DirectRunner against real endpoints, until Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ordering and/or writer pipeline on this machine against real endpoints until Ctrl-C.",
      "",
      "The pipelines run on the DirectRunner against a Spanner change stream (or change-record files), Pub/Sub or"
          + " Kafka, and your MySQL shards, with progress lines and the control API. Pipeline options are given as"
          + " --name=value, the same for both pipelines. --pipelines ordering|writer runs one job in this process so"
          + " each can be stopped and started on its own; --changeRecordsPath=<dir> --followChangeRecords=true keeps"
          + " reading new change-record files as they appear (a streaming run without an emulator).",
      "See ordering-pipeline/README.md and writer-pipeline/README.md for every option."
    },
    footer = {
      "",
      "Example:",
      "  bin/rr run --spannerProjectId=p --instanceId=i --databaseId=d \\",
      "    --sessionFilePath=session.json --sourceShardsFilePath=shards.json \\",
      "    --sinkType=kafka --bufferType=kafka --kafkaBootstrapServers=host:9092 \\",
      "    --deadLetterQueueDirectory=/var/rr/dlq"
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin ControlOptions api;

  @Option(
      names = "--progress-every",
      defaultValue = "2",
      paramLabel = "<seconds>",
      description = "Seconds between progress lines, 0 for none (default: ${DEFAULT-VALUE}).")
  int progressEvery;

  @Option(
      names = "--pipelines",
      defaultValue = "both",
      paramLabel = "ordering|writer|both",
      description =
          "Which jobs this process runs (default: ${DEFAULT-VALUE}); run one of each to stop and start them"
              + " on their own. Restarting either is the same command: the ordering job resumes from the shards'"
              + " positions, the writer rewinds its buffer to them.")
  String pipelines;

  @Option(
      names = "--require-write-blocking",
      description =
          "Refuse to start unless rr block-writes is in force on every shard (only the writer can write).")
  boolean requireWriteBlocking;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (pipelineArgs.isEmpty()) {
      throw new IllegalArgumentException(
          "give the pipelines' options as --name=value (see bin/rr run --help)");
    }
    PipelinesRun.Pipelines which;
    try {
      which = PipelinesRun.Pipelines.valueOf(pipelines.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--pipelines must be ordering, writer or both, got '" + pipelines + "'");
    }
    if (requireWriteBlocking) {
      String open = dev.reverserepl.launcher.cutback.WriteBlocker.openShards(pipelineArgs);
      if (!open.isEmpty()) {
        throw new IllegalArgumentException(
            "--require-write-blocking: write blocking is not in force on "
                + open
                + "; run rr block-writes --shards <file> --session <file> first");
      }
    }
    return new PipelinesRun(System.out)
        .run(
            pipelineArgs.toArray(String[]::new),
            which,
            api.enabled() ? api.settings() : null,
            progressEvery);
  }
}
