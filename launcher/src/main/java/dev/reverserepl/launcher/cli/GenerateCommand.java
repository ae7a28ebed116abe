package dev.reverserepl.launcher.cli;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr generate}: writes a deterministic workload of change records for any session file. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a deterministic workload of change records for a session file.",
      "",
      "The records are JSON lines of Spanner DataChangeRecords, the format rr replay and rr verify read; the same"
          + " seed gives the same file. The last line printed is a JSON summary counted in row changes."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--session",
      paramLabel = "<file>",
      required = true,
      description = "Session file of the Spanner migration tool.")
  String session;

  @Option(
      names = "--out",
      paramLabel = "<path>",
      required = true,
      description = "Output file (or existing directory: changes.jsonl inside).")
  Path out;

  @Option(
      names = "--changes",
      paramLabel = "<n>",
      defaultValue = "1000",
      description = "Replicated row changes to generate (default: ${DEFAULT-VALUE}).")
  long changes;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      defaultValue = "42",
      description = "Random seed; the same seed gives the same file (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--shards",
      paramLabel = "<file>",
      description = "Shards file whose logicalShardIds go into the shard-id column.")
  String shardsFile;

  @Option(
      names = "--shard-ids",
      paramLabel = "<id,id,...>",
      split = ",",
      description = "Logical shard ids to use instead of --shards (default: shard1,shard2).")
  List<String> shardIds;

  @Option(
      names = "--max-transaction-size",
      paramLabel = "<n>",
      defaultValue = "4",
      description = "Most mods in one transaction (default: ${DEFAULT-VALUE}).")
  int maxTransactionSize;

  @Override
  public Integer call() throws Exception {
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(changes)
            .withSeed(seed)
            .withMaxTransactionSize(maxTransactionSize);
    List<String> ids = resolveShardIds();
    if (!ids.isEmpty()) {
      spec = spec.withShardIds(ids);
    }
    Path file = Files.isDirectory(out) ? out.resolve("changes.jsonl") : out;
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    WorkloadGenerator generator = WorkloadGenerator.forSessionFile(session, spec);
    WorkloadSummary summary;
    try (ChangeRecordWriter writer = ChangeRecordWriter.create(file)) {
      summary = generator.generate(writer::write);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", file.toString());
    report.put("transactions", summary.transactions());
    report.put("replicated", summary.replicated());
    report.put("inserts", summary.inserts());
    report.put("updates", summary.updates());
    report.put("deletes", summary.deletes());
    report.put("forwardMigration", summary.filtered());
    report.put("skippedTables", summary.skipped());
    System.out.println(Json.write(report));
    return ExitCodes.OK;
  }

  private List<String> resolveShardIds() {
    List<String> ids = new ArrayList<>();
    if (shardsFile != null) {
      for (Shard s : ShardsFile.load(shardsFile)) {
        ids.add(s.logicalShardId());
      }
    }
    if (shardIds != null) {
      ids.addAll(shardIds);
    }
    return ids;
  }
}
