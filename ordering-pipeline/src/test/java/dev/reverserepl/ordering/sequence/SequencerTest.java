package dev.reverserepl.ordering.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.TestChanges;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Sequencer rules (module README, "Ordering guarantees"): S1 commit order per key with gapless
 * sequences, S2 a backlog is sequenced one slice at a time, S3 idle keys publish progress markers.
 */
class SequencerTest {
  private static final long T0 = 1_700_000_000_000L; // epoch millis

  private static Pipeline pipeline(boolean fast) {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setBlockOnRun(true);
    if (fast) {
      o.setEnforceImmutability(false);
      o.setEnforceEncodability(false);
    }
    return Pipeline.create(o);
  }

  @Test
  void
      ruleS1_outOfOrderInputAcrossPartitionsAndTransactionsComesOutInCommitOrderWithGaplessSequences() {
    Random rnd = new Random(42);
    List<String> keys = List.of("shard1#0", "shard1#1", "shard2#0", "shard3#0");
    List<KV<String, SequencerInput>> all = new ArrayList<>();
    Map<String, List<Change>> expected = new TreeMap<>();
    // 400 transactions over 20 s; a transaction touches 1..3 keys with 1..4 mods each, split over
    // records
    for (int t = 0; t < 400; t++) {
      long commitNanos = (T0 + rnd.nextInt(20_000)) * 1_000_000L + rnd.nextInt(1_000_000);
      String txn = "txn-" + t;
      int record = 0;
      for (String key : keys) {
        if (rnd.nextInt(3) != 0) {
          continue;
        }
        int mods = 1 + rnd.nextInt(4);
        for (int m = 0; m < mods; m++) {
          Change c =
              TestChanges.change("t", ModKind.UPDATE, t * 10L + m, commitNanos, txn, record, m);
          all.add(KV.of(key, SequencerInput.of(c)));
          expected.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        record++;
      }
    }
    // Feed in 2-second windows, each shuffled and mixed with some elements of the next window; the
    // watermark only
    // moves to a window's start after everything before it was added (the source is never late).
    all.sort((a, b) -> Long.compare(commitMillis(a), commitMillis(b)));
    TestStream.Builder<KV<String, SequencerInput>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of()));
    boolean[] sent = new boolean[all.size()];
    int i = 0;
    for (long w = T0 + 2_000; w <= T0 + 22_000; w += 2_000) {
      List<KV<String, SequencerInput>> batch = new ArrayList<>();
      for (; i < all.size() && commitMillis(all.get(i)) < w; i++) {
        if (!sent[i]) {
          sent[i] = true;
          batch.add(all.get(i));
        }
      }
      for (int j = i; j < all.size() && commitMillis(all.get(j)) < w + 2_000; j++) {
        if (rnd.nextInt(4) == 0 && !sent[j]) {
          sent[j] = true; // an early arrival from the next window
          batch.add(all.get(j));
        }
      }
      Collections.shuffle(batch, rnd);
      List<TimestampedValue<KV<String, SequencerInput>>> timestamped =
          batch.stream()
              .map(kv -> TimestampedValue.of(kv, new Instant(commitMillis(kv))))
              .collect(Collectors.toList());
      if (!timestamped.isEmpty()) {
        stream =
            stream.addElements(
                timestamped.get(0),
                timestamped.subList(1, timestamped.size()).toArray(TimestampedValue[]::new));
      }
      stream = stream.advanceWatermarkTo(new Instant(w));
    }
    Pipeline p = pipeline(false);
    PCollection<Envelope> out =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(new SequenceChanges(SequencerConfig.defaults(7).withMaxChangesPerEnvelope(5)));
    PAssert.that(out).satisfies(new CheckAgainst(expected));
    p.run().waitUntilFinish();
  }

  @Test
  void ruleS2_aMillionChangeBacklogIsSequencedOneSliceAtATime() {
    final int n = 1_000_000;
    final long bucketMillis = 10_000;
    final long spacingNanos = 200_000; // 50,000 changes per ten-second bucket, 200 s of commits
    final long sliceBound = bucketMillis * 1_000_000L / spacingNanos;
    Pipeline p = pipeline(true);
    // The watermark is held at the start while the whole backlog arrives (in 20 large bundles,
    // unordered: commit
    // times are a permutation of the index), then released: the worst case, everything buffered at
    // once.
    TestStream.Builder<KV<String, SequencerInput>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of()))
            .advanceWatermarkTo(new Instant(T0));
    final int bundles = 20;
    for (int b = 0; b < bundles; b++) {
      List<TimestampedValue<KV<String, SequencerInput>>> batch = new ArrayList<>(n / bundles);
      for (long i = (long) b * n / bundles; i < (long) (b + 1) * n / bundles; i++) {
        KV<String, SequencerInput> kv =
            KV.of("shard1#0", SequencerInput.of(backlogChange(i, n, spacingNanos)));
        batch.add(TimestampedValue.of(kv, new Instant(commitMillis(kv))));
      }
      stream =
          stream.addElements(
              batch.get(0), batch.subList(1, batch.size()).toArray(TimestampedValue[]::new));
    }
    PCollection<KV<String, SequencerInput>> backlog = p.apply(stream.advanceWatermarkToInfinity());
    PCollection<KV<Long, List<Long>>> summaries =
        backlog
            .apply(new SequenceChanges(SequencerConfig.defaults(1).withBucketMillis(bucketMillis)))
            .apply(
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.longs(),
                            TypeDescriptors.lists(TypeDescriptors.longs())))
                    .via(SequencerTest::summarise));
    PAssert.that(summaries).satisfies(new CheckBacklog(n));
    long started = System.nanoTime();
    long cpuStarted = processCpuNanos();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    long cpuSeconds = (processCpuNanos() - cpuStarted) / 1_000_000_000L;
    DistributionResult slices = distribution(result, OrderingMetrics.SLICE_SIZE);
    long sequenced = counter(result, OrderingMetrics.SEQUENCED);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    System.out.printf(
        "ruleS2: backlog %,d changes for one key, sequenced %,d in %d s (%d s CPU); slice bound %,d; max slice materialised %,d"
            + " (slices %,d); heap used after run %,d MB (DirectRunner keeps all state on the heap: the slice bound,"
            + " not the heap, is the proof)%n",
        n, sequenced, seconds, cpuSeconds, sliceBound, slices.getMax(), slices.getCount(), heapMb);
    assertEquals(n, sequenced);
    assertEquals(sliceBound, slices.getMax(), "largest slice must be one bucket");
    assertTrue(slices.getCount() >= n / sliceBound, "every bucket flushed as its own slice");
  }

  @Test
  void ruleS2_catchUpOverNSlicesCostsLinearStateReads() {
    final int slices = 300;
    final int perSlice = 3;
    // A backlog of 300 one-second slices for one key, all buffered while the watermark waits, then
    // released at
    // once (catch-up), followed by a steady stretch where the watermark moves one slice at a time.
    TestStream.Builder<KV<String, SequencerInput>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of()))
            .advanceWatermarkTo(new Instant(T0));
    List<TimestampedValue<KV<String, SequencerInput>>> backlog = new ArrayList<>();
    for (int b = 0; b < slices; b++) {
      for (int i = 0; i < perSlice; i++) {
        backlog.add(timestamped(T0 + b * 1_000L + i * 100L, b * perSlice + i));
      }
    }
    Collections.shuffle(backlog, new Random(3));
    stream =
        stream.addElements(
            backlog.get(0), backlog.subList(1, backlog.size()).toArray(TimestampedValue[]::new));
    long steadyStart = T0 + slices * 1_000L;
    stream = stream.advanceWatermarkTo(new Instant(steadyStart));
    for (int b = 0; b < 20; b++) {
      long at = steadyStart + b * 1_000L;
      stream =
          stream
              .addElements(
                  timestamped(at + 10, slices * perSlice + b),
                  timestamped(at + 1_500, 10_000_000 + b))
              .advanceWatermarkTo(new Instant(at + 1_000));
    }
    Pipeline p = pipeline(false);
    p.apply(stream.advanceWatermarkToInfinity())
        .apply(new SequenceChanges(SequencerConfig.defaults(1)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long numbered = distribution(result, OrderingMetrics.SLICE_SIZE).getCount();
    long reads = counter(result, OrderingMetrics.SLICE_STATE_READS);
    System.out.printf(
        "ruleS2: catch-up over %,d slices then 20 steady ones: %,d slices numbered with %,d slice-state reads%n",
        slices, numbered, reads);
    assertEquals(slices * perSlice + 40, counter(result, OrderingMetrics.SEQUENCED));
    assertTrue(numbered >= slices + 20, "every slice numbered: " + numbered);
    assertTrue(
        reads <= 2 * numbered,
        "state reads must grow linearly with the slices: " + reads + " for " + numbered);
  }

  private static TimestampedValue<KV<String, SequencerInput>> timestamped(long millis, long id) {
    Change c = TestChanges.change("t", ModKind.UPDATE, id, millis * 1_000_000L, "tx" + id, 0, 0);
    return TimestampedValue.of(KV.of("shard1#0", SequencerInput.of(c)), new Instant(millis));
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static Change backlogChange(long i, int n, long spacingNanos) {
    long perm = (i * 7919L) % n; // 7919 is prime and coprime with n: a permutation
    long commitNanos = T0 * 1_000_000L + perm * spacingNanos;
    return new Change(
        "t",
        ModKind.UPDATE,
        "{\"id\":" + perm + "}",
        "{\"v\":" + perm + "}",
        new dev.reverserepl.common.change.ChangePosition(commitNanos, "x" + perm, 0, 0),
        "",
        1);
  }

  /**
   * (firstSeq, [lastSeq, firstCommitNanos, lastCommitNanos]) after checking the envelope is
   * internally ordered.
   */
  private static KV<Long, List<Long>> summarise(Envelope e) {
    List<SequencedChange> cs = e.changes();
    for (int i = 1; i < cs.size(); i++) {
      if (cs.get(i - 1).change().position().compareTo(cs.get(i).change().position()) >= 0) {
        throw new AssertionError("envelope " + e.firstSequence() + " not in commit order");
      }
    }
    if (cs.isEmpty()) {
      return KV.of(e.firstSequence(), List.of(e.lastSequence(), Long.MIN_VALUE, Long.MIN_VALUE));
    }
    return KV.of(
        e.firstSequence(),
        List.of(
            e.lastSequence(),
            cs.get(0).change().position().commitNanos(),
            cs.get(cs.size() - 1).change().position().commitNanos()));
  }

  private static final class CheckBacklog
      implements SerializableFunction<Iterable<KV<Long, List<Long>>>, Void> {
    private final long n;

    CheckBacklog(long n) {
      this.n = n;
    }

    @Override
    public Void apply(Iterable<KV<Long, List<Long>>> summaries) {
      TreeMap<Long, List<Long>> byFirst = new TreeMap<>();
      for (KV<Long, List<Long>> s : summaries) {
        if (s.getValue().get(1) != Long.MIN_VALUE) {
          assertEquals(
              null, byFirst.put(s.getKey(), s.getValue()), "two envelopes start at " + s.getKey());
        }
      }
      long expected = 1;
      long lastCommit = Long.MIN_VALUE;
      for (Map.Entry<Long, List<Long>> e : byFirst.entrySet()) {
        assertEquals(expected, (long) e.getKey(), "gap before envelope");
        assertTrue(
            e.getValue().get(1) > lastCommit, "envelopes out of commit order at " + e.getKey());
        lastCommit = e.getValue().get(2);
        expected = e.getValue().get(0) + 1;
      }
      assertEquals(n + 1, expected, "sequences 1..n");
      System.out.printf(
          "ruleS2: %,d envelopes, sequences 1..%,d gapless and in commit order%n",
          byFirst.size(), n);
      return null;
    }
  }

  @Test
  void ruleS3_idleKeysPublishProgressMarkers() {
    TestStream<KV<String, SequencerInput>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of()))
            .addElements(
                TimestampedValue.of(
                    KV.of(
                        "busy#0",
                        SequencerInput.of(
                            TestChanges.change(
                                "t", ModKind.INSERT, 1, (T0 + 10) * 1_000_000L, "a", 0, 0))),
                    new Instant(T0 + 10)),
                TimestampedValue.of(KV.of("idle#0", SequencerInput.tick()), new Instant(T0 + 10)),
                TimestampedValue.of(KV.of("busy#0", SequencerInput.tick()), new Instant(T0 + 10)))
            .advanceWatermarkTo(new Instant(T0 + 5_000))
            .addElements(
                TimestampedValue.of(
                    KV.of("idle#0", SequencerInput.tick()), new Instant(T0 + 5_000)),
                TimestampedValue.of(
                    KV.of("busy#0", SequencerInput.tick()), new Instant(T0 + 5_000)))
            .advanceWatermarkToInfinity();
    Pipeline p = pipeline(false);
    PCollection<Envelope> out =
        p.apply(stream).apply(new SequenceChanges(SequencerConfig.defaults(3)));
    PAssert.that(out)
        .satisfies(
            envelopes -> {
              Map<String, List<Envelope>> byKey = new TreeMap<>();
              envelopes.forEach(
                  e -> byKey.computeIfAbsent(e.shardId(), k -> new ArrayList<>()).add(e));
              List<Envelope> idle = byKey.get("idle");
              assertEquals(2, idle.size(), "one marker per tick bucket: " + idle);
              idle.sort(
                  (a, b) -> Long.compare(a.publishedThroughNanos(), b.publishedThroughNanos()));
              for (Envelope m : idle) {
                assertTrue(m.isMarker());
                assertEquals(0, m.lastSequence());
              }
              assertEquals((T0 + 1_000) * 1_000_000L - 1, idle.get(0).publishedThroughNanos());
              assertEquals((T0 + 6_000) * 1_000_000L - 1, idle.get(1).publishedThroughNanos());
              List<Envelope> busy = byKey.get("busy");
              busy.sort(
                  (a, b) -> Long.compare(a.publishedThroughNanos(), b.publishedThroughNanos()));
              assertEquals(2, busy.size(), busy.toString());
              assertEquals(1, busy.get(0).changes().size());
              assertTrue(busy.get(1).isMarker());
              assertEquals(
                  1, busy.get(1).lastSequence(), "marker carries the last published sequence");
              System.out.printf(
                  "ruleS3: idle key markers through %s; busy key marker after sequence 1%n",
                  idle.stream()
                      .map(m -> Long.toString(m.publishedThroughNanos()))
                      .collect(Collectors.toList()));
              return null;
            });
    p.run().waitUntilFinish();
  }

  static DistributionResult distribution(PipelineResult r, String name) {
    for (MetricResult<DistributionResult> m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(OrderingMetrics.NAMESPACE, name))
                    .build())
            .getDistributions()) {
      return m.getAttempted();
    }
    throw new AssertionError("no distribution " + name);
  }

  static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (MetricResult<Long> m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(OrderingMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += m.getAttempted();
    }
    return sum;
  }

  private static long commitMillis(KV<String, SequencerInput> kv) {
    return Math.floorDiv(kv.getValue().change().position().commitNanos(), 1_000_000L);
  }

  /** Every key's stream is gapless, in commit order, and holds exactly the key's input. */
  private static final class CheckAgainst
      implements SerializableFunction<Iterable<Envelope>, Void> {
    private final Map<String, List<Change>> expected;

    CheckAgainst(Map<String, List<Change>> expected) {
      this.expected = new HashMap<>(expected);
    }

    @Override
    public Void apply(Iterable<Envelope> envelopes) {
      Map<String, List<SequencedChange>> streams = TestChanges.checkStreams(envelopes);
      assertEquals(expected.keySet(), streams.keySet());
      for (Map.Entry<String, List<Change>> e : expected.entrySet()) {
        List<Change> want = new ArrayList<>(e.getValue());
        want.sort((a, b) -> a.position().compareTo(b.position()));
        List<Change> got =
            streams.get(e.getKey()).stream()
                .map(SequencedChange::change)
                .collect(Collectors.toList());
        assertEquals(want, got, "stream of " + e.getKey());
        for (SequencedChange c : streams.get(e.getKey())) {
          assertEquals(7, c.epoch());
        }
        System.out.printf(
            "ruleS1: key %s: %d changes in commit order, sequences 1..%d%n",
            e.getKey(), got.size(), got.size());
      }
      return null;
    }
  }
}
