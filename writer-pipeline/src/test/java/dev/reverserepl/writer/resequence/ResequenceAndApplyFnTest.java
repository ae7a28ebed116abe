package dev.reverserepl.writer.resequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ProgressWaitColumns;
import dev.reverserepl.common.progress.StreamWait;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.metrics.WriterMetrics;
import dev.reverserepl.writer.options.WriterConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules 11 and 13 of the resequencer inside the pipeline (DirectRunner) against a real MariaDB
 * shard.
 */
class ResequenceAndApplyFnTest {
  private static EmbeddedMySql mysql;
  @TempDir Path tmp;

  @BeforeAll
  static void server() {
    mysql = EmbeddedMySql.shared();
  }

  static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(filter(name)).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  static MetricsFilter filter(String name) {
    return MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(WriterMetrics.NAMESPACE, name))
        .build();
  }

  @Test
  void rule11_aFilledGapReleasesItsBacklogInBoundedRunsContinuedOnATimer() throws Exception {
    TestStreams.createShardDatabase(mysql, "rs_bounded");
    Shard shard = mysql.shard("bounded", "rs_bounded");
    List<SequencedChange> stream = TestStreams.randomStream("bounded", 0, 1, 1000, 100, 21);
    List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(stream, 20));
    Collections.reverse(envelopes);
    WriterConfig config =
        WriterConfig.of(List.of(shard), TestStreams.session(), tmp.resolve("dlq").toString())
            .withResequence(ResequenceSettings.DEFAULT.withMaxReleaseChanges(80));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(envelopes).withCoder(EnvelopeCoder.of())).apply(ApplyEnvelopes.with(config));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    try (Connection c = mysql.connect("rs_bounded")) {
      assertEquals(TestStreams.expectedRows(stream), TestStreams.actualRows(c));
      AppliedPosition end = new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c).get(0);
      assertEquals(1000, end.sequence());
      assertEquals(1000, end.appliedCount(), "each change applied exactly once");
    }
    DistributionResult runs =
        result
            .metrics()
            .queryMetrics(filter(WriterMetrics.RELEASE_RUN + WriterMetrics.SEPARATOR + "bounded"))
            .getDistributions()
            .iterator()
            .next()
            .getAttempted();
    System.out.printf("rule11: %d runs, largest %d changes%n", runs.getCount(), runs.getMax());
    assertTrue(runs.getMax() <= 80 + 20, "largest run " + runs.getMax());
    assertTrue(runs.getCount() >= 1000 / 100, "runs " + runs.getCount());
  }

  @Test
  void rule13_aStreamWaitingLongerThanTheGapLimitIsLoggedCountedAndRecordedInItsProgressRow()
      throws Exception {
    TestStreams.createShardDatabase(mysql, "rs_gap");
    Shard shard = mysql.shard("gap", "rs_gap");
    List<Envelope> filled =
        TestStreams.envelopes(TestStreams.randomStream("gap", 0, 1, 60, 20, 22), 20);
    List<Envelope> stuck =
        TestStreams.envelopes(TestStreams.randomStream("gap", 1, 1, 60, 20, 23), 20);
    WriterConfig config =
        WriterConfig.of(List.of(shard), TestStreams.session(), tmp.resolve("dlq").toString())
            .withResequence(
                ResequenceSettings.DEFAULT.withGapAlert(java.time.Duration.ofSeconds(1)));
    TestStream<Envelope> input =
        TestStream.create(EnvelopeCoder.of())
            .addElements(filled.get(1), filled.get(2), stuck.get(1), stuck.get(2))
            .advanceProcessingTime(Duration.standardSeconds(5))
            .addElements(filled.get(0))
            .advanceProcessingTime(Duration.standardSeconds(5))
            .advanceWatermarkToInfinity();
    StreamingOptions options = PipelineOptionsFactory.create().as(StreamingOptions.class);
    options.setStreaming(true);
    Pipeline p = Pipeline.create(options);
    p.apply(input).apply(ApplyEnvelopes.with(config));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertTrue(
        counter(result, WriterMetrics.GAP_ALERTS + WriterMetrics.SEPARATOR + "gap") >= 2,
        "both partitions alerted");
    try (Connection c = mysql.connect("rs_gap")) {
      List<StreamWait> waits =
          new ProgressWaitColumns(new ProgressTable(ProgressTable.DEFAULT_NAME)).read(c, "gap");
      assertEquals(1, waits.size(), "the filled gap cleared its wait: " + waits);
      StreamWait w = waits.get(0);
      assertEquals(1, w.partition());
      assertEquals(1, w.epoch());
      assertEquals(1, w.missingSequence());
      assertTrue(
          w.describe(java.time.Instant.now()).contains("recovery: "),
          w.describe(java.time.Instant.now()));
      AppliedPosition p0 =
          new ProgressTable(ProgressTable.DEFAULT_NAME).read(c, "gap", 0, false).orElseThrow();
      assertEquals(60, p0.appliedCount());
    }
  }
}
