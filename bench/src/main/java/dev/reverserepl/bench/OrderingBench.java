package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.sequence.SequenceChanges;
import dev.reverserepl.ordering.sequence.SequencerConfig;
import dev.reverserepl.ordering.sequence.SequencerInput;
import dev.reverserepl.ordering.sequence.SequencerInputCoder;
import dev.reverserepl.ordering.sequence.SequencerKey;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The ordering stage's sequencer on the DirectRunner over a backlog of one shard read as fast as
 * the source can (the watermark following commit time block by block, as in a change-stream
 * catch-up): throughput, the largest slice it ever materialised (one bucket's worth whatever the
 * backlog), and the numbering stage's state reads (linear in the number of slices).
 */
final class OrderingBench {
  private static final long BASE_MILLIS = 1_767_225_600_000L;

  private OrderingBench() {}

  static void run(BenchArgs a, Table table, Figures figures) {
    SequencerConfig config = SequencerConfig.defaults(1);
    double firstRate = Double.NaN;
    double lastRate = Double.NaN;
    long largestSlice = 0;
    for (long n : a.backlogs) {
      AtomicLong peak = new AtomicLong();
      Thread sampler = heapSampler(peak);
      Pipeline p = Pipeline.create(EndToEndBench.directOptions(4));
      p.apply(Create.of(n))
          .apply("Changes", ParDo.of(new Backlog()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of()))
          .apply(new SequenceChanges(config))
          .apply("Count", ParDo.of(new CountChanges()));
      long start = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish(org.joda.time.Duration.standardMinutes(30));
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.interrupt();
      long maxSlice = 0;
      for (MetricResult<DistributionResult> d :
          result.metrics().queryMetrics(MetricsFilter.builder().build()).getDistributions()) {
        if (d.getName().getName().equals(OrderingMetrics.SLICE_SIZE)) {
          maxSlice = Math.max(maxSlice, d.getAttempted().getMax());
        }
      }
      long emitted = 0;
      long stateReads = 0;
      for (MetricResult<Long> c :
          result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
        if (c.getName().getName().equals("bench_sequenced")) {
          emitted += c.getAttempted();
        } else if (c.getName().getName().equals(OrderingMetrics.SLICE_STATE_READS)) {
          stateReads += c.getAttempted();
        }
      }
      long buckets = Math.max(1, n / config.bucketMillis());
      System.out.printf(
          Locale.ROOT,
          "ordering: backlog %,d: %.0f changes/s, max slice %d, %d sequenced, %,d slice-state reads for %,d slices, peak heap %d MiB, load %s%n",
          n,
          n / seconds,
          maxSlice,
          emitted,
          stateReads,
          buckets,
          peak.get() >> 20,
          Machine.loadAverage());
      table.add(
          "ordering sequencer, one shard",
          String.format(
              Locale.ROOT,
              "backlog %,d changes (bucket %d ms, ~%d changes per bucket)",
              n,
              config.bucketMillis(),
              config.bucketMillis()),
          String.format(Locale.ROOT, "%,.0f changes/s", n / seconds),
          String.format(
              Locale.ROOT,
              "max materialised %d; %,d slice-state reads for %,d slices; heap peak %d MiB",
              maxSlice,
              stateReads,
              buckets,
              peak.get() >> 20));
      if (emitted != n) {
        throw new IllegalStateException("sequencer emitted " + emitted + " of " + n + " changes");
      }
      if (Double.isNaN(firstRate)) {
        firstRate = n / seconds;
      }
      lastRate = n / seconds;
      largestSlice = Math.max(largestSlice, maxSlice);
    }
    if (a.backlogs.length > 0) {
      figures.sequencer(
          a.backlogs[0], firstRate, a.backlogs[a.backlogs.length - 1], lastRate, largestSlice);
    }
  }

  private static Thread heapSampler(AtomicLong peak) {
    Thread t =
        new Thread(
            () -> {
              Runtime rt = Runtime.getRuntime();
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * The backlog as a source that reads as fast as it can, like a change stream catching up: change
   * i commits at 1 ms steps, arriving in reversed order within every block of 10,000; the watermark
   * follows block by block.
   */
  static final class Backlog extends DoFn<Long, KV<String, SequencerInput>> {
    private static final long BLOCK = 10_000;

    @GetInitialRestriction
    public OffsetRange initial(@Element Long n) {
      return new OffsetRange(0, (n + BLOCK - 1) / BLOCK);
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark() {
      return new Instant(BASE_MILLIS);
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.Manual watermark(@WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.Manual(state);
    }

    @ProcessElement
    public void process(
        @Element Long n,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        OutputReceiver<KV<String, SequencerInput>> out) {
      for (long b = tracker.currentRestriction().getFrom(); tracker.tryClaim(b); b++) {
        for (long i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
          long slot = b * BLOCK + (BLOCK - 1 - i % BLOCK);
          long millis = BASE_MILLIS + slot;
          ChangePosition pos = new ChangePosition(millis * 1_000_000L, "t" + slot, 0, 0);
          Change c =
              new Change(
                  "orders",
                  ModKind.UPDATE,
                  "{\"id\":\"" + slot + "\"}",
                  "{\"v\":\"x\"}",
                  pos,
                  "",
                  1);
          out.outputWithTimestamp(
              KV.of(SequencerKey.format("bench", 0), SequencerInput.of(c)), new Instant(millis));
        }
        watermark.setWatermark(new Instant(BASE_MILLIS + (b + 1) * BLOCK));
      }
    }
  }

  static final class CountChanges extends DoFn<Envelope, Void> {
    private final Counter sequenced = Metrics.counter("bench", "bench_sequenced");

    @ProcessElement
    public void process(@Element Envelope e) {
      sequenced.inc(e.changes().size());
    }
  }
}
