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
      "Run the ordering and writer pipelines side by side on the DirectRunner against real endpoints (a Spanner",
      "change stream or change-record files, Pub/Sub or Kafka, your MySQL shards) until Ctrl-C, with progress lines",
      "and the control API. Pipeline options are given as --name=value, the same for both pipelines, e.g.:",
      "  bin/rr run --spannerProjectId=p --instanceId=i --databaseId=d --sessionFilePath=session.json \\",
      "    --sourceShardsFilePath=shards.json --sinkType=kafka --bufferType=kafka --kafkaBootstrapServers=host:9092 \\",
      "    --deadLetterQueueDirectory=/var/rr/dlq",
      "See ordering-pipeline/README.md and writer-pipeline/README.md for every option."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin ControlOptions api;

  @Option(names = "--progress-every", defaultValue = "2", paramLabel = "SECONDS",
      description = "Seconds between progress lines, 0 for none (default: ${DEFAULT-VALUE}).")
  int progressEvery;

  @Option(names = "--require-write-blocking",
      description = "Refuse to start unless rr block-writes is in force on every shard (only the writer can write).")
  boolean requireWriteBlocking;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (pipelineArgs.isEmpty()) {
      throw new IllegalArgumentException("give the pipelines' options as --name=value (see bin/rr run --help)");
    }
    if (requireWriteBlocking) {
      String open = dev.reverserepl.launcher.cutback.WriteBlocker.openShards(pipelineArgs);
      if (!open.isEmpty()) {
        throw new IllegalArgumentException("--require-write-blocking: write blocking is not in force on " + open
            + "; run rr block-writes --shards F --session F first");
      }
    }
    return new PipelinesRun(System.out).run(pipelineArgs.toArray(String[]::new), api.enabled() ? api.settings() : null, progressEvery);
  }
}
