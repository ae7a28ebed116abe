package dev.reverserepl.writer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.writer.apply.ReapplyOutcome;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardAppliers;
import dev.reverserepl.writer.options.BufferType;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.options.WriterOptions;
import dev.reverserepl.writer.options.WriterOptionsValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Feeds a dead-letter directory back through the apply path ({@link ShardApplier#reapply}) once the
 * cause is fixed, and writes whatever still fails to a new directory.
 *
 * <p>Rules: entries are re-applied per shard in commit order; of several dead letters for the same
 * row only the latest is applied (it carries the full new row); an entry whose row was changed
 * again after it was dead-lettered is superseded and not applied (the shard's dead-key table says
 * so); routing and decode entries, which never reached a shard, are copied to the new directory
 * unchanged. {@link #run} then moves the files it read into {@code processed/<time>/} under the
 * input directory and writes what still fails (and the copied entries) back into it as one new
 * file, so the entries directly in the dead-letter directory are exactly the pending ones.
 */
public final class Reprocess {
  private Reprocess() {}

  /**
   * Options: the writer's, with {@code deadLetterQueueDirectory} as input and a new output
   * directory.
   */
  public interface ReprocessOptions extends WriterOptions {
    @Description(
        "Directory for the dead letters that still fail (must differ from deadLetterQueueDirectory).")
    @Validation.Required
    String getReprocessOutputDirectory();

    void setReprocessOutputDirectory(String value);
  }

  public static void main(String[] args) {
    ReprocessOptions o =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(ReprocessOptions.class);
    // Reprocessing reads no buffer; give the shared validator's buffer checks what they ask for.
    o.setBufferType(BufferType.KAFKA.wireName());
    if (o.getKafkaBootstrapServers() == null) {
      o.setKafkaBootstrapServers("unused:0");
    }
    if (o.getKafkaTopic() == null) {
      o.setKafkaTopic("unused");
    }
    WriterConfig config = WriterOptionsValidator.toConfig(o);
    ReprocessReport r =
        run(config, o.getDeadLetterQueueDirectory(), o.getReprocessOutputDirectory());
    System.out.println("reprocess: " + r);
    System.exit(r.stillFailing() == 0 ? 0 : 1);
  }

  /**
   * Re-applies every dead letter in {@code inputDirectory}; still-failing ones go to {@code
   * outputDirectory}.
   */
  public static ReprocessReport run(
      WriterConfig config, String inputDirectory, String outputDirectory) {
    if (inputDirectory.equals(outputDirectory)) {
      throw new IllegalArgumentException(
          "the output directory must differ from the input directory");
    }
    DeadLetterQueue out = new DeadLetterQueue(outputDirectory);
    List<String> files = DeadLetterQueue.files(inputDirectory);
    ReprocessReport report;
    List<DeadLetter> stillPending = new ArrayList<>();
    try (ShardAppliers appliers = new ShardAppliers(config, out::writeAll)) {
      report = reprocess(DeadLetterQueue.readFiles(files), appliers::forShard, out, stillPending);
    }
    // What still fails (or never reached a shard) stays pending; the files read move out of the
    // pending directory.
    new DeadLetterQueue(inputDirectory).writeAll(stillPending);
    DeadLetterQueue.moveAll(
        files,
        inputDirectory
            + "/"
            + PROCESSED
            + "/"
            + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now()));
    return report;
  }

  /** Subdirectory of the dead-letter directory that receives the files a reprocess has read. */
  public static final String PROCESSED = "processed";

  public static ReprocessReport reprocess(
      List<DeadLetter> entries,
      Function<String, Optional<ShardApplier>> appliers,
      DeadLetterQueue out) {
    return reprocess(entries, appliers, out, new ArrayList<>());
  }

  private static ReprocessReport reprocess(
      List<DeadLetter> entries,
      Function<String, Optional<ShardApplier>> appliers,
      DeadLetterQueue out,
      List<DeadLetter> written) {
    long applied = 0;
    long failing = 0;
    long notApplicable = 0;
    List<DeadLetter> copyAsIs = new ArrayList<>();
    Map<String, DeadLetter> latestPerRow = new LinkedHashMap<>();
    for (DeadLetter d : entries) {
      if (d.change() == null || d.shardId() == null || !DeadLetter.STAGE_APPLY.equals(d.stage())) {
        copyAsIs.add(d);
        continue;
      }
      String row =
          d.shardId()
              + "|"
              + d.change().table().toLowerCase(Locale.ROOT)
              + "|"
              + keys(d.change().keysJson());
      DeadLetter seen = latestPerRow.get(row);
      if (seen == null || seen.change().position().compareTo(d.change().position()) < 0) {
        latestPerRow.put(row, d);
      }
    }
    long superseded = entries.size() - copyAsIs.size() - latestPerRow.size();
    List<DeadLetter> todo = new ArrayList<>(latestPerRow.values());
    todo.sort(Comparator.comparing(DeadLetter::shardId).thenComparing(d -> d.change().position()));
    List<DeadLetter> stillFailing = new ArrayList<>();
    for (DeadLetter d : todo) {
      Optional<ShardApplier> a = appliers.apply(d.shardId());
      if (a.isEmpty()) {
        stillFailing.add(
            d.withError(
                "shard '" + d.shardId() + "' is not in the shards file",
                d.attempts(),
                Instant.now()));
        notApplicable++;
        continue;
      }
      ReapplyOutcome o = a.get().reapply(d.change());
      if (o instanceof ReapplyOutcome.Applied) {
        applied++;
      } else if (o instanceof ReapplyOutcome.Superseded) {
        superseded++;
      } else if (o instanceof ReapplyOutcome.NotReplicated) {
        notApplicable++;
      } else {
        ReapplyOutcome.Failed f = (ReapplyOutcome.Failed) o;
        stillFailing.add(d.withError(f.error(), d.attempts() + f.attempts(), Instant.now()));
        failing++;
      }
    }
    notApplicable += copyAsIs.size();
    written.addAll(copyAsIs);
    written.addAll(stillFailing);
    out.writeAll(written);
    return new ReprocessReport(entries.size(), applied, failing, superseded, notApplicable);
  }

  private static String keys(String keysJson) {
    try {
      JsonNode n = Json.parse(keysJson);
      return n.toString();
    } catch (Exception e) {
      return keysJson;
    }
  }
}
