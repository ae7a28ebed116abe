package dev.reverserepl.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.source.DecodeEnvelopeFn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ApplyEnvelopes on the DirectRunner into two real shard databases. */
class WriterPipelineTest {
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(WriterMetrics.NAMESPACE, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  void rule1_shuffledAndDuplicatedEnvelopesConvergeToExactlyTheExpectedRows() throws Exception {
    TestStreams.createShardDatabase(mysql, "wp_shard1");
    TestStreams.createShardDatabase(mysql, "wp_shard2");
    List<Shard> shards =
        List.of(mysql.shard("shard1", "wp_shard1"), mysql.shard("shard2", "wp_shard2"));
    // Each shard: two partitions. Keys of partition p are kept disjoint by an id offset per
    // partition.
    List<SequencedChange> all = new ArrayList<>();
    List<Envelope> envelopes = new ArrayList<>();
    for (String shard : List.of("shard1", "shard2")) {
      for (int p = 0; p < 2; p++) {
        List<SequencedChange> s =
            offsetIds(TestStreams.randomStream(shard, p, 1, 600, 80, shard.hashCode() + p), p);
        all.addAll(s);
        envelopes.addAll(TestStreams.envelopes(s, 25));
      }
    }
    List<Envelope> delivered = new ArrayList<>(envelopes);
    Random r = new Random(5);
    for (int i = 0; i < envelopes.size() / 3; i++) {
      delivered.add(envelopes.get(r.nextInt(envelopes.size())));
    }
    Collections.shuffle(delivered, r);

    WriterConfig config =
        WriterConfig.of(shards, TestStreams.session(), tmp.resolve("dlq").toString())
            .withApply(ApplySettings.DEFAULT.withBatchSize(200));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(delivered).withCoder(EnvelopeCoder.of())).apply(ApplyEnvelopes.with(config));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    for (String shard : List.of("shard1", "shard2")) {
      List<SequencedChange> mine = all.stream().filter(c -> c.shardId().equals(shard)).toList();
      try (Connection c = mysql.connect("wp_" + shard)) {
        Map<String, String> expected = TestStreams.expectedRows(mine);
        assertEquals(expected, TestStreams.actualRows(c), shard);
        List<AppliedPosition> positions = new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c);
        assertEquals(2, positions.size());
        for (AppliedPosition pos : positions) {
          assertEquals(600, pos.sequence());
          assertEquals(600, pos.appliedCount(), "each change applied exactly once");
        }
      }
    }
    assertEquals(
        2400,
        counter(result, WriterMetrics.APPLIED + WriterMetrics.SEPARATOR + "shard1")
            + counter(result, WriterMetrics.APPLIED + WriterMetrics.SEPARATOR + "shard2"));
    assertEquals(
        (delivered.size() - envelopes.size()) * 25L,
        counter(result, WriterMetrics.SKIPPED_DUPLICATES + WriterMetrics.SEPARATOR + "shard1")
            + counter(
                result, WriterMetrics.SKIPPED_DUPLICATES + WriterMetrics.SEPARATOR + "shard2"));
  }

  @Test
  void rule9_undecodableMessagesAreDeadLetteredWithTheirReason() {
    String dlq = tmp.resolve("dlq-decode").toString();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(
            Create.of(KV.of("shard1", "{not json".getBytes(StandardCharsets.UTF_8)))
                .withCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), ByteArrayCoder.of())))
        .apply(ParDo.of(new DecodeEnvelopeFn(dlq)))
        .setCoder(EnvelopeCoder.of());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    List<DeadLetter> lines = DeadLetterQueue.readAll(dlq);
    assertEquals(1, lines.size());
    assertEquals(DeadLetter.STAGE_DECODE, lines.get(0).stage());
    assertEquals("{not json", lines.get(0).payload());
    assertTrue(lines.get(0).error().contains("undecodable envelope"), lines.get(0).error());
    assertEquals(1, counter(result, WriterMetrics.UNDECODABLE));
  }

  /** Moves ids of partition p to their own range so that partitions never share a row. */
  static List<SequencedChange> offsetIds(List<SequencedChange> s, int p) {
    List<SequencedChange> out = new ArrayList<>(s.size());
    for (SequencedChange c : s) {
      var ch = c.change();
      int id = Integer.parseInt(ch.keysJson().replaceAll("[^0-9]", ""));
      String keys = "{\"id\":\"" + (id + 1000 * p) + "\"}";
      out.add(
          new SequencedChange(
              c.shardId(),
              c.partition(),
              c.epoch(),
              c.sequence(),
              c.endOfTransaction(),
              new dev.reverserepl.common.change.Change(
                  ch.table(),
                  ch.kind(),
                  keys,
                  ch.newValuesJson(),
                  ch.position(),
                  ch.transactionTag(),
                  ch.recordsInTransaction())));
    }
    return out;
  }
}
