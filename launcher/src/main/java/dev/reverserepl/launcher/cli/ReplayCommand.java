package dev.reverserepl.launcher.cli;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.launcher.operate.ControlOptions;
import dev.reverserepl.launcher.run.ReplayBuffer;
import dev.reverserepl.launcher.run.ReplayRequest;
import dev.reverserepl.launcher.run.ReplayRunner;
import dev.reverserepl.launcher.run.ReplaySummary;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rr replay}: replays captured change records through ordering and writer into real MySQL
 * shards.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay captured change records into your MySQL shards.",
      "",
      "Change records (JSON lines of Spanner DataChangeRecords, a file or a directory) go through the ordering and"
          + " writer pipelines on the DirectRunner into the MySQL shards of a shards file. Waits until every row"
          + " change is applied or dead-lettered; the last line printed is a JSON summary.",
      "Tables the session file does not know are named and skipped (--fail-on-unknown-tables makes them exit 3).",
      "Exit codes: 0 all applied, 3 some changes dead-lettered (or unknown tables with --fail-on-unknown-tables),",
      "2 bad arguments or input files, 1 failure."
    })
public final class ReplayCommand implements Callable<Integer> {
  @Option(
      names = "--changes",
      required = true,
      paramLabel = "<path>",
      description = "Change-record file or directory.")
  String changes;

  @Option(
      names = "--session",
      required = true,
      paramLabel = "<file>",
      description = "Session file of the Spanner migration tool.")
  String session;

  @Option(
      names = "--shards",
      required = true,
      paramLabel = "<file>",
      description = "Shards file (JSON list of logical shards).")
  String shards;

  @Option(
      names = "--buffer",
      defaultValue = "none",
      paramLabel = "none|kafka",
      description =
          "Buffer between the pipelines: none (side by side in this process, handed over in"
              + " memory) or kafka (default: ${DEFAULT-VALUE}).")
  String buffer;

  @Option(
      names = "--kafka-bootstrap-servers",
      paramLabel = "<host:port>",
      description = "Kafka to use with --buffer kafka; without it an embedded broker is started.")
  String kafkaBootstrap;

  @Option(
      names = "--dlq",
      defaultValue = "rr-dlq",
      paramLabel = "<dir>",
      description = "Dead-letter directory (default: ${DEFAULT-VALUE}).")
  String dlq;

  @Option(
      names = "--partitions-per-shard",
      defaultValue = "1",
      paramLabel = "<n>",
      description =
          "1 applies each shard in strict commit order; N > 1 keeps per-key order and applies in parallel (default: ${DEFAULT-VALUE}).")
  int partitionsPerShard;

  @Option(
      names = "--source-tz",
      defaultValue = "+00:00",
      paramLabel = "<+HH:MM>",
      description =
          "Time-zone offset of the MySQL shards for TIMESTAMP values (default: ${DEFAULT-VALUE}).")
  String sourceTz;

  @Option(
      names = "--progress-every",
      defaultValue = "2",
      paramLabel = "<seconds>",
      description = "Seconds between progress lines, 0 for none (default: ${DEFAULT-VALUE}).")
  int progressEvery;

  @Option(
      names = "--shard-id-fetcher",
      paramLabel = "<class>",
      description =
          "Custom shard-id fetcher class (e.g. dev.reverserepl.common.routing.KeyHashShardIdFetcher for"
              + " sessions without a shard-id column); default: the session's shard-id column.")
  String shardIdFetcher;

  @Option(
      names = "--fail-on-unknown-tables",
      description =
          "Exit 3 when changes of tables the session file does not know were met (default: name them, exit 0).")
  boolean failOnUnknownTables;

  @Mixin ControlOptions api;

  @Override
  public Integer call() {
    ZoneOffset offset;
    try {
      offset = ZoneOffset.of(sourceTz);
    } catch (DateTimeException e) {
      throw new ConfigException(
          "--source-tz", "", "", "not a time-zone offset like +05:30: '" + sourceTz + "'");
    }
    ReplayRequest request =
        ReplayRequest.of(changes, session, shards, dlq)
            .withBuffer(ReplayBuffer.parse(buffer), kafkaBootstrap)
            .withPartitionsPerShard(partitionsPerShard)
            .withSourceOffset(offset)
            .withProgressEverySeconds(progressEvery)
            .withShardIdFetcherClass(shardIdFetcher)
            .withControl(api.enabled() ? api.settings() : null);
    ReplaySummary summary = new ReplayRunner(System.out).run(request);
    if (summary.deadLettered() > 0) {
      System.out.println("dead-lettered changes: " + summary.deadLettered() + " in " + dlq);
    }
    boolean unknown = failOnUnknownTables && !summary.unknownTables().isEmpty();
    if (unknown) {
      System.out.println(
          "unknown tables (--fail-on-unknown-tables): "
              + String.join(", ", summary.unknownTables().keySet()));
    }
    System.out.println(summary.toJson());
    return summary.deadLettered() > 0 || unknown ? ExitCodes.DEAD_LETTERED : ExitCodes.OK;
  }
}
