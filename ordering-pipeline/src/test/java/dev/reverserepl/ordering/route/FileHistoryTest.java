package dev.reverserepl.ordering.route;

import static dev.reverserepl.ordering.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.OrderChanges;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.OrderingResult;
import dev.reverserepl.ordering.TestChanges;
import dev.reverserepl.ordering.source.ChangeRecordFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule R2 over a bounded set of change-record files ({@link FileHistory}, {@link FileHistoryRead}):
 * a delete lacking the shard-id column takes the shard of the newest routed change of its row
 * before it in commit order, whatever order the files and records are in.
 */
class FileHistoryTest {
  private static final SessionMapping SESSION =
      SessionMapping.load(Fixtures.repo("parcels-sharded/session.json").toString());
  private static final List<Shard> SHARDS =
      List.of(
          Shard.of("shard1", "127.0.0.1", 3306, "u", "p", "db1"),
          Shard.of("shard2", "127.0.0.1", 3306, "u", "p", "db2"));
  private static final long T0 = 1_700_000_000_000_000L; // micros

  @TempDir Path dir;

  @Test
  void ruleR2_theNewestEarlierSightingAnswersWhateverTheOrderOfArrival() {
    Random random = new Random(7);
    int rows = 40;
    List<Change> changes = new ArrayList<>();
    List<String> shardOf = new ArrayList<>();
    java.util.Set<String> used = new java.util.HashSet<>();
    while (changes.size() < 3_000) {
      // few commit times, so that equal timestamps are ordered by transaction and record
      long nanos = (random.nextInt(200) + 1) * 1_000L;
      String key = "{\"parcel_id\":\"" + random.nextInt(rows) + "\"}";
      ChangePosition at = new ChangePosition(nanos, "tx" + random.nextInt(3), random.nextInt(2), 0);
      if (!used.add(key + at)) {
        continue; // a row changes once at a position
      }
      changes.add(new Change("parcel", ModKind.UPDATE, key, "{}", at, "", 1));
      shardOf.add("shard" + (1 + random.nextInt(2)));
    }
    FileHistory.Builder b = new FileHistory.Builder();
    for (int i = 0; i < changes.size(); i++) {
      b.add(changes.get(i), shardOf.get(i));
    }
    FileHistory history = b.build();
    assertTrue(history.kept() < changes.size(), "runs on one shard are compacted");
    FileHistory.Digest digest = new FileHistory.Digest();
    int answered = 0;
    for (int q = 0; q < 2_000; q++) {
      Change delete =
          new Change(
              "parcel",
              ModKind.DELETE,
              "{\"parcel_id\":\"" + random.nextInt(rows + 5) + "\"}",
              "{}",
              new ChangePosition(
                  random.nextInt(202) * 1_000L, "tx" + random.nextInt(3), random.nextInt(3), 0),
              "",
              1);
      String expected = bruteForce(changes, shardOf, delete);
      assertEquals(expected, history.shardBefore(delete, digest), delete.toString());
      answered += expected == null ? 0 : 1;
    }
    assertTrue(answered > 1_000, "most queries find a sighting: " + answered);
  }

  private static String bruteForce(List<Change> changes, List<String> shardOf, Change delete) {
    ChangePosition best = null;
    String shard = null;
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (c.keysJson().equals(delete.keysJson())
          && c.position().compareTo(delete.position()) < 0
          && (best == null || c.position().compareTo(best) > 0)) {
        best = c.position();
        shard = shardOf.get(i);
      }
    }
    return shard;
  }

  @Test
  void ruleR2_aReplayOfFilesResolvesDeletesFromTheFilesThemselves() throws Exception {
    Path files = Files.createDirectories(dir.resolve("changes"));
    // the second file holds the earlier commits: the history follows commit order, not files
    try (ChangeRecordWriter w = ChangeRecordWriter.create(files.resolve("a.jsonl"))) {
      w.write(delete(T0 + 5_000, "D1", 1)); // row 1 moved to shard2 before: shard2
      w.write(delete(T0 + 6_000, "D99", 99)); // never seen: dead letter
      w.write(delete(T0 + 7_000, "D3", 3)); // only forward-migration traffic named it
      w.write(insert(T0 + 3_000, "U1", 1, "shard2", ""));
    }
    try (ChangeRecordWriter w = ChangeRecordWriter.create(files.resolve("b.jsonl"))) {
      w.write(insert(T0 + 1_000, "I1", 1, "shard1", ""));
      w.write(insert(T0 + 2_000, "I3", 3, "shard1", "txBy=forward"));
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create().as(DirectOptions.class));
    OrderChanges ordering = OrderChanges.with(OrderingConfig.of(SESSION, SHARDS, 3));
    OrderingResult result =
        p.apply(ChangeRecordFiles.from(files.toString()))
            .apply(ordering.withFileHistory(ordering.fileHistoryOf(files.toString())));
    PAssert.that(result.envelopes())
        .satisfies(
            envelopes -> {
              Map<String, List<SequencedChange>> streams = TestChanges.checkStreams(envelopes);
              assertEquals(
                  List.of(ModKind.INSERT),
                  kinds(streams.get("shard1#0")),
                  "the insert of row 1 on shard1");
              assertEquals(
                  List.of(ModKind.INSERT, ModKind.DELETE),
                  kinds(streams.get("shard2#0")),
                  "row 1 moved to shard2, so its delete goes there");
              return null;
            });
    PAssert.that(result.deadLetters())
        .satisfies(
            dls -> {
              List<DeadLetter> list =
                  StreamSupport.stream(dls.spliterator(), false).collect(Collectors.toList());
              assertEquals(2, list.size(), list.toString());
              for (DeadLetter d : list) {
                assertEquals(DeadLetter.STAGE_ROUTING, d.stage());
                assertTrue(
                    d.error().contains("no earlier change of this row in the change-record files"),
                    d.error());
              }
              return null;
            });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(1, counter(r, OrderingMetrics.RESOLVED_BY_HISTORY));
    assertEquals(2, counter(r, OrderingMetrics.DEAD_LETTERED));
  }

  private static List<ModKind> kinds(List<SequencedChange> stream) {
    return stream.stream().map(c -> c.change().kind()).collect(Collectors.toList());
  }

  private static DataChangeRecord insert(
      long micros, String txn, int row, String shard, String tag) {
    return record(
        micros,
        txn,
        0,
        "parcel",
        ModType.INSERT,
        tag,
        "{\"parcel_id\":\"" + row + "\"}",
        "{\"parcel_id\":\"" + row + "\",\"migration_shard_id\":\"" + shard + "\"}");
  }

  private static DataChangeRecord delete(long micros, String txn, int row) {
    return record(
        micros, txn, 0, "parcel", ModType.DELETE, "", "{\"parcel_id\":\"" + row + "\"}", "{}");
  }

  private static long counter(PipelineResult r, String name) {
    long n = 0;
    for (var m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(OrderingMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      n += m.getAttempted();
    }
    return n;
  }
}
