package dev.reverserepl.ordering;

import static dev.reverserepl.ordering.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.filter.FiltrationMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Filter and routing rules F1..F2, R1..R3 of the module README, with exact counters. */
class OrderChangesTest {
  static final SessionMapping SESSION =
      SessionMapping.load(Fixtures.repo("parcels-sharded/session.json").toString());
  static final List<Shard> SHARDS =
      List.of(
          Shard.of("shard1", "127.0.0.1", 3306, "u", "p", "db1"),
          Shard.of("shard2", "127.0.0.1", 3306, "u", "p", "db2"));
  private static final long T0 = 1_700_000_000_000_000L; // micros

  private static TimestampedValue<DataChangeRecord> at(DataChangeRecord r) {
    return TimestampedValue.of(r, new Instant(r.getCommitTimestamp().toSqlTimestamp().getTime()));
  }

  private static String row(int id, String shard) {
    return "{\"parcel_id\":\"" + id + "\",\"migration_shard_id\":\"" + shard + "\"}";
  }

  @Test
  void rulesF1F2R1R2R3_filterAndRoutingCountersAreExactAndNothingIsDropped() {
    TestStream<DataChangeRecord> stream =
        TestStream.create(AvroCoder.of(DataChangeRecord.class))
            .addElements(
                // R2: the delete (no shard-id column in its keys) arrives before the insert that
                // names the shard
                at(
                    record(
                        T0 + 3_000,
                        "D",
                        0,
                        "parcel",
                        ModType.DELETE,
                        "",
                        "{\"parcel_id\":\"1\"}",
                        "{}")),
                at(
                    record(
                        T0 + 1_000,
                        "A",
                        0,
                        "parcel",
                        ModType.INSERT,
                        "",
                        "{\"parcel_id\":\"1\"}",
                        row(1, "shard1"),
                        "{\"parcel_id\":\"2\"}",
                        row(2, "shard2"))),
                // F1: forward-migration traffic
                at(
                    record(
                        T0 + 2_000,
                        "B",
                        0,
                        "parcel",
                        ModType.INSERT,
                        "txBy=forward",
                        "{\"parcel_id\":\"3\"}",
                        row(3, "shard1"))),
                // F2: a table the session does not map
                at(
                    record(
                        T0 + 2_500,
                        "C",
                        0,
                        "audit_log",
                        ModType.INSERT,
                        "",
                        "{\"k\":\"1\"}",
                        "{}",
                        "{\"k\":\"2\"}",
                        "{}")),
                // R3: a delete of a row never seen, and an insert naming an unknown shard
                at(
                    record(
                        T0 + 4_000,
                        "E",
                        0,
                        "parcel",
                        ModType.DELETE,
                        "",
                        "{\"parcel_id\":\"99\"}",
                        "{}")),
                at(
                    record(
                        T0 + 5_000,
                        "F",
                        0,
                        "parcel",
                        ModType.INSERT,
                        "",
                        "{\"parcel_id\":\"4\"}",
                        row(4, "shard9"))))
            .advanceWatermarkToInfinity();
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    Pipeline p = Pipeline.create(o);
    OrderingResult result =
        p.apply(stream).apply(OrderChanges.with(OrderingConfig.of(SESSION, SHARDS, 11)));
    PAssert.that(result.envelopes())
        .satisfies(
            envelopes -> {
              Map<String, List<SequencedChange>> streams = TestChanges.checkStreams(envelopes);
              assertEquals(List.of("shard1#0", "shard2#0"), List.copyOf(streams.keySet()));
              List<SequencedChange> s1 = streams.get("shard1#0");
              assertEquals(
                  List.of(ModKind.INSERT, ModKind.DELETE),
                  s1.stream().map(c -> c.change().kind()).collect(Collectors.toList()));
              assertEquals(1, streams.get("shard2#0").size());
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
                assertTrue(d.error() != null && !d.error().isEmpty());
                System.out.println(
                    "rule R3 dead letter: " + d.change().keysJson() + " -> " + d.error());
              }
              return null;
            });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Map<String, Long> counters = counters(r);
    System.out.println("ordering counters: " + counters);
    assertEquals(6, counters.get(OrderingMetrics.RECORDS_READ));
    assertEquals(8, counters.get(OrderingMetrics.CHANGES_IN));
    assertEquals(1, counters.get(OrderingMetrics.FILTERED_FORWARD_MIGRATION));
    assertEquals(1, counters.get(OrderingMetrics.CHANGES_FILTERED_FORWARD_MIGRATION));
    // audit_log is not in the session at all (F2): counted as unknown, in total and per table.
    assertEquals(2, counters.get(OrderingMetrics.UNKNOWN_TABLE_CHANGES));
    assertEquals(
        2,
        counters.get(
            OrderingMetrics.UNKNOWN_TABLE_CHANGES + OrderingMetrics.SEPARATOR + "audit_log"));
    assertEquals(0, counters.getOrDefault(OrderingMetrics.SKIPPED_TABLE_CHANGES, 0L));
    assertEquals(5, counters.get(OrderingMetrics.CHANGES_READ));
    assertEquals(3, counters.get(OrderingMetrics.ROUTED));
    assertEquals(1, counters.get(OrderingMetrics.RESOLVED_BY_HISTORY));
    assertEquals(2, counters.get(OrderingMetrics.DEAD_LETTERED));
    assertEquals(3, counters.get(OrderingMetrics.SEQUENCED));
    // every mod is accounted for exactly once
    assertEquals(
        counters.get(OrderingMetrics.CHANGES_IN),
        counters.get(OrderingMetrics.CHANGES_FILTERED_FORWARD_MIGRATION)
            + counters.getOrDefault(OrderingMetrics.SKIPPED_TABLE_CHANGES, 0L)
            + counters.get(OrderingMetrics.UNKNOWN_TABLE_CHANGES)
            + counters.get(OrderingMetrics.ROUTED)
            + counters.get(OrderingMetrics.DEAD_LETTERED));
  }

  @Test
  void ruleF1_filtrationModeNoneKeepsForwardMigrationTraffic() {
    TestStream<DataChangeRecord> stream =
        TestStream.create(AvroCoder.of(DataChangeRecord.class))
            .addElements(
                at(
                    record(
                        T0 + 2_000,
                        "B",
                        0,
                        "parcel",
                        ModType.INSERT,
                        "txBy=forward",
                        "{\"parcel_id\":\"3\"}",
                        row(3, "shard1"))))
            .advanceWatermarkToInfinity();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    OrderingResult result =
        p.apply(stream)
            .apply(
                OrderChanges.with(
                    OrderingConfig.of(SESSION, SHARDS, 11)
                        .withFiltrationMode(FiltrationMode.NONE)));
    PAssert.that(result.envelopes())
        .satisfies(
            e -> {
              assertEquals(1, TestChanges.checkStreams(e).get("shard1#0").size());
              return null;
            });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(0, counters(r).getOrDefault(OrderingMetrics.FILTERED_FORWARD_MIGRATION, 0L));
  }

  static Map<String, Long> counters(PipelineResult r) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (MetricResult<Long> m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(OrderingMetrics.NAMESPACE))
                    .build())
            .getCounters()) {
      out.merge(m.getName().getName(), m.getAttempted(), Long::sum);
    }
    return out;
  }
}
