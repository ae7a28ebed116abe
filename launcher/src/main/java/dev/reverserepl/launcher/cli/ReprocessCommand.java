package dev.reverserepl.launcher.cli;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.writer.Reprocess;
import dev.reverserepl.writer.ReprocessReport;
import dev.reverserepl.writer.options.WriterConfig;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rr reprocess}: feeds a dead-letter directory back through the writer's apply path, from
 * this machine.
 */
@Command(
    name = "reprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Re-apply dead letters to the MySQL shards once their cause is fixed.",
      "",
      "The dead letters of a directory (local or gs://) are re-applied per shard in commit order: only the latest"
          + " entry of a row, never one whose row changed since. What still fails is written to --out. The last line"
          + " printed is a JSON summary.",
      "Exit codes: 0 every entry applied or settled, 3 some still failing (in --out), 2 bad arguments or input, 1 failure."
    })
public final class ReprocessCommand implements Callable<Integer> {
  @Option(
      names = "--dlq",
      required = true,
      paramLabel = "<dir>",
      description = "Dead-letter directory to re-apply (a local directory or gs://bucket/path).")
  String dlq;

  @Option(
      names = "--session",
      required = true,
      paramLabel = "<file>",
      description = "Session file (local or gs://).")
  String session;

  @Option(
      names = "--shards",
      required = true,
      paramLabel = "<file>",
      description = "Shards file with the passwords written in it (local or gs://).")
  String shards;

  @Option(
      names = "--out",
      paramLabel = "<dir>",
      description = "Directory for the entries that still fail (default: <dlq>-retry-<UTC time>).")
  String out;

  @Option(
      names = "--source-tz",
      defaultValue = "+00:00",
      paramLabel = "<+HH:MM>",
      description =
          "Time-zone offset of the MySQL shards for TIMESTAMP values (default: ${DEFAULT-VALUE}).")
  String sourceTz;

  @Override
  public Integer call() {
    ZoneOffset offset;
    try {
      offset = ZoneOffset.of(sourceTz);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--source-tz: not a time-zone offset like +05:30: '" + sourceTz + "'");
    }
    // gs:// paths need the Google Cloud Storage file system registered (application-default
    // credentials).
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    SessionMapping mapping = SessionMapping.load(session);
    List<Shard> shardList = ShardsFile.load(shards);
    long pending = DeadLetterQueue.readAll(dlq).size();
    String target = out != null ? out : defaultOut(dlq);
    if (target.equals(dlq)) {
      throw new ConfigException("--out", "", "", "must differ from --dlq (" + dlq + ")");
    }
    System.out.println(
        "reprocess: "
            + pending
            + " dead letter(s) in "
            + dlq
            + ", "
            + shardList.size()
            + " shards; still failing ones go to "
            + target);
    WriterConfig config = WriterConfig.of(shardList, mapping, target).withSourceOffset(offset);
    ReprocessReport r = Reprocess.run(config, dlq, target);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("read", r.read());
    summary.put("applied", r.applied());
    summary.put("stillFailing", r.stillFailing());
    summary.put("superseded", r.superseded());
    summary.put("notApplicable", r.notApplicable());
    summary.put("out", target);
    System.out.println(Json.write(summary));
    return r.stillFailing() > 0 ? ExitCodes.DEAD_LETTERED : ExitCodes.OK;
  }

  static String defaultOut(String dlq) {
    String base = dlq.endsWith("/") ? dlq.substring(0, dlq.length() - 1) : dlq;
    return base
        + "-retry-"
        + LocalDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
  }
}
