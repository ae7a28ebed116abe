package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.options.WriterConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;

/**
 * The writer pipeline on the DirectRunner: (1) throughput from a pre-filled in-memory buffer of
 * envelopes ({@link PrefilledBuffer}, read in publish order) into one and into four shards; (2) lag
 * while envelopes arrive at a steady rate with commit timestamps of "now", sampled as now − commit
 * time of the last applied change from the shards' progress tables.
 */
final class EndToEndBench {
  private static final int CHANGES_PER_ENVELOPE = 500;

  private EndToEndBench() {}

  static void run(
      EmbeddedMySql mysql, Path dir, BenchArgs a, Table table, Figures figures, double applyRate)
      throws Exception {
    BenchWorkload w =
        BenchWorkload.generate(
            dir, a.e2eChanges, List.of("bench"), Instant.parse("2026-01-01T00:00:00Z"));
    for (int shards : a.skipPrefilled ? new int[0] : a.e2eShards) {
      List<Shard> targets = shards(mysql, dir, "e2e" + shards + "_", shards);
      List<Envelope> envelopes = envelopes(w.changes, targets);
      WriterConfig config =
          WriterConfig.of(targets, w.session, dir.resolve("dlq-e2e" + shards).toString());
      String buffer = PrefilledBuffer.fill("e2e" + shards, envelopes);
      Pipeline p = Pipeline.create(directOptions(shards));
      p.apply(Create.of(buffer))
          .apply("ReadBuffer", ParDo.of(new PrefilledBuffer()))
          .setCoder(EnvelopeCoder.of())
          .apply(ApplyEnvelopes.with(config));
      long start = System.nanoTime();
      p.run().waitUntilFinish();
      double seconds = (System.nanoTime() - start) / 1e9;
      PrefilledBuffer.drop(buffer);
      double rate = w.changes.size() / seconds;
      System.out.printf(
          Locale.ROOT,
          "writer pipeline: %d shards %.0f rows/s (load %s)%n",
          shards,
          rate,
          Machine.loadAverage());
      table.add(
          "writer pipeline (DirectRunner)",
          "pre-filled buffer -> " + shards + " shard(s), " + w.changes.size() + " changes",
          String.format(Locale.ROOT, "%,.0f rows/s", rate),
          shards == 1 && !Double.isNaN(applyRate)
              ? String.format(
                  Locale.ROOT, "%.2f x apply path; includes pipeline start-up", rate / applyRate)
              : "includes pipeline start-up");
      if (shards == 1) {
        figures.writerPipeline(rate);
      }
    }
    if (!a.skipLag) {
      lag(mysql, dir, a, w, table, figures);
    }
  }

  private static void lag(
      EmbeddedMySql mysql, Path dir, BenchArgs a, BenchWorkload w, Table table, Figures figures)
      throws Exception {
    for (int shards : a.lagShards) {
      List<Shard> targets = shards(mysql, dir, "lag" + shards + "_", shards);
      int perTick = Math.max(1, a.lagRate / 100);
      WriterConfig config =
          WriterConfig.of(targets, w.session, dir.resolve("dlq-lag" + shards).toString());
      Pipeline p = Pipeline.create(directOptions(shards));
      // Unbounded: with an upper bound the runner reads the ticks as one bounded read whose output
      // appears only when the read ends, which would be measured as lag.
      p.apply(GenerateSequence.from(0).withRate(100, Duration.standardSeconds(1)))
          .apply(ParDo.of(new PacedEnvelopes(w.changes, targets, perTick)))
          .setCoder(EnvelopeCoder.of())
          .apply(ApplyEnvelopes.with(config));
      PipelineResult result = p.run();
      LagSamples samples = LagSamples.sample(mysql, targets, result, a.lagSeconds);
      result.cancel();
      String figure = samples.describe();
      System.out.printf(
          Locale.ROOT,
          "writer lag: %d shards at %d changes/s: %s (%d samples, load %s)%n",
          shards,
          perTick * 100,
          figure,
          samples.size(),
          Machine.loadAverage());
      table.add(
          "writer pipeline (DirectRunner)",
          "commit -> MySQL lag at "
              + perTick * 100
              + " changes/s, "
              + shards
              + " shard(s), "
              + a.lagSeconds
              + " s",
          figure,
          "target p99 < 2 s, flat");
      if (samples.size() > 0) {
        figures.lag(shards, samples.p99(0, 1), samples.p99(0, 0.5), samples.p99(0.5, 1));
      }
    }
  }

  private static List<Shard> shards(EmbeddedMySql mysql, Path dir, String prefix, int n) {
    List<Shard> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String db = Bench.fresh(mysql, dir, prefix + i);
      out.add(mysql.shard(db, db));
    }
    return out;
  }

  /**
   * Routes changes to shards by key hash, sequences each shard's stream and packs it into
   * envelopes.
   */
  static List<Envelope> envelopes(List<Change> changes, List<Shard> shards) {
    List<List<Change>> split = ApplyBench.split(changes, shards.size());
    List<Envelope> out = new ArrayList<>();
    for (int s = 0; s < shards.size(); s++) {
      String id = shards.get(s).logicalShardId();
      List<SequencedChange> seq = BenchWorkload.sequence(split.get(s), id, 0, 1);
      for (int i = 0; i < seq.size(); i += CHANGES_PER_ENVELOPE) {
        List<SequencedChange> part = seq.subList(i, Math.min(seq.size(), i + CHANGES_PER_ENVELOPE));
        out.add(
            new Envelope(
                id, 0, 1, part.get(0).sequence(), part.get(part.size() - 1).sequence(), 0, part));
      }
    }
    return out;
  }

  /**
   * Tick i carries the next {@code perTick} changes of the workload, stamped with the current time
   * as commit time, until the run is cancelled.
   */
  static final class PacedEnvelopes extends DoFn<Long, Envelope> {
    private final List<Change> changes;
    private final List<Shard> shards;
    private final int perTick;

    PacedEnvelopes(List<Change> changes, List<Shard> shards, int perTick) {
      // A sample, not the whole workload: the runner serialises the DoFn for every bundle.
      this.changes = new ArrayList<>(changes.subList(0, Math.min(changes.size(), 5_000)));
      this.shards = shards;
      this.perTick = perTick;
    }

    @ProcessElement
    public void process(@Element Long tick, OutputReceiver<Envelope> out) {
      long now = ChangePosition.toNanos(Instant.now());
      int n = shards.size();
      // Each shard gets perTick / n consecutive sequence numbers per tick: tick t covers t*k+1 ..
      // (t+1)*k.
      int k = Math.max(1, perTick / n);
      for (int s = 0; s < n; s++) {
        String id = shards.get(s).logicalShardId();
        List<SequencedChange> part = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
          long seq = tick * k + j + 1;
          Change base = changes.get((int) ((seq * n + s) % changes.size()));
          ChangePosition pos = new ChangePosition(now, "t" + tick + "-" + s, j, 0);
          Change c =
              new Change(
                  base.table(), base.kind(), base.keysJson(), base.newValuesJson(), pos, "", k);
          part.add(new SequencedChange(id, 0, 1, seq, j == k - 1, c));
        }
        out.output(
            new Envelope(id, 0, 1, part.get(0).sequence(), part.get(k - 1).sequence(), now, part));
      }
    }
  }

  /**
   * One worker thread per shard stream: the DirectRunner's driver re-submits itself to the same
   * pool, so a thread beyond the streams only lets it poll beside the work (measured on 2 cores,
   * 200 k changes: 1 shard 35.9 k rows/s with one thread, 25.8 k with four; 4 shards 80.6 k with
   * four, 52.3 k with one).
   */
  static DirectOptions directOptions(int shards) {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setTargetParallelism(shards);
    o.setBlockOnRun(false);
    // The per-element copy checks would be measured instead of the writer.
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return o;
  }
}
