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
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Sequencer rules (module README, "Ordering guarantees"): S1 commit order per key with gapless sequences, S2 a
 * backlog is sequenced one slice at a time, S3 idle keys publish progress markers.
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
  void ruleS1_outOfOrderInputAcrossPartitionsAndTransactionsComesOutInCommitOrderWithGaplessSequences() {
    Random rnd = new Random(42);
    List<String> keys = List.of("shard1#0", "shard1#1", "shard2#0", "shard3#0");
    List<KV<String, SequencerInput>> all = new ArrayList<>();
    Map<String, List<Change>> expected = new TreeMap<>();
    // 400 transactions over 20 s; a transaction touches 1..3 keys with 1..4 mods each, split over records
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
          Change c = TestChanges.change("t", ModKind.UPDATE, t * 10L + m, commitNanos, txn, record, m);
          all.add(KV.of(key, SequencerInput.of(c)));
          expected.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        record++;
      }
    }
    // Feed in 2-second windows, each shuffled and mixed with some elements of the next window; the watermark only
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
          batch.stream().map(kv -> TimestampedValue.of(kv, new Instant(commitMillis(kv)))).collect(Collectors.toList());
      if (!timestamped.isEmpty()) {
        stream =
            stream.addElements(
                timestamped.get(0), timestamped.subList(1, timestamped.size()).toArray(TimestampedValue[]::new));
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

  private static long commitMillis(KV<String, SequencerInput> kv) {
    return Math.floorDiv(kv.getValue().change().position().commitNanos(), 1_000_000L);
  }

  /** Every key's stream is gapless, in commit order, and holds exactly the key's input. */
  private static final class CheckAgainst implements SerializableFunction<Iterable<Envelope>, Void> {
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
        List<Change> got = streams.get(e.getKey()).stream().map(SequencedChange::change).collect(Collectors.toList());
        assertEquals(want, got, "stream of " + e.getKey());
        for (SequencedChange c : streams.get(e.getKey())) {
          assertEquals(7, c.epoch());
        }
        System.out.printf("ruleS1: key %s: %d changes in commit order, sequences 1..%d%n", e.getKey(), got.size(), got.size());
      }
      return null;
    }
  }
}
