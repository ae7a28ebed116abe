package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.apply.ApplyReport;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.apply.ShardApplier;
import dev.reverserepl.writer.apply.ShardAppliers;
import dev.reverserepl.writer.options.WriterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The writer's own apply path ({@link ShardApplier}: translation, grouping, multi-row statements
 * and the progress row in every transaction) into one shard, in strict order or split into per-key
 * partitions applied in parallel.
 */
final class ApplyBench {
  private ApplyBench() {}

  /** A timed run; the CPU seconds of this process and of the MySQL server over the same span. */
  record Result(long changes, long applied, double seconds, double clientCpu, double serverCpu) {
    double rowsPerSecond() {
      return changes / seconds;
    }

    String cpu() {
      return String.format(
          java.util.Locale.ROOT, "client %.1f / server %.1f CPU s", clientCpu, serverCpu);
    }
  }

  /** Starts the clock and both CPU counters. */
  record Clock(long startNanos, long client, long server) {
    static Clock start() {
      return new Clock(System.nanoTime(), Machine.processCpuNanos(), Machine.serverCpuNanos());
    }

    Result stop(long changes, long applied) {
      return new Result(
          changes,
          applied,
          (System.nanoTime() - startNanos) / 1e9,
          (Machine.processCpuNanos() - client) / 1e9,
          (Machine.serverCpuNanos() - server) / 1e9);
    }
  }

  static Result run(Shard shard, BenchWorkload w, int batchSize, int partitions, Path dlq)
      throws Exception {
    String db = shard.logicalShardId();
    WriterConfig config =
        WriterConfig.of(List.of(shard), w.session, dlq.toString())
            .withApply(ApplySettings.DEFAULT.withBatchSize(batchSize))
            .withConnectionsPerShard(Math.max(2, partitions));
    try (ShardAppliers appliers = new ShardAppliers(config)) {
      ShardApplier applier = appliers.forShard(db).orElseThrow();
      List<List<Change>> split = split(w.changes, partitions);
      long epoch = 1;
      Clock clock = Clock.start();
      long applied = 0;
      if (partitions == 1) {
        applied = applyAll(applier, 0, BenchWorkload.sequence(split.get(0), db, 0, epoch));
      } else {
        ExecutorService pool = Executors.newFixedThreadPool(partitions);
        try {
          List<Future<Long>> futures = new ArrayList<>();
          for (int p = 0; p < partitions; p++) {
            int partition = p;
            List<SequencedChange> seq = BenchWorkload.sequence(split.get(p), db, partition, epoch);
            futures.add(pool.submit(() -> applyAll(applier, partition, seq)));
          }
          for (Future<Long> f : futures) {
            applied += f.get();
          }
        } finally {
          pool.shutdownNow();
        }
      }
      return clock.stop(w.changes.size(), applied);
    }
  }

  private static long applyAll(ShardApplier applier, int partition, List<SequencedChange> seq) {
    long applied = 0;
    // Feed in chunks as the pipeline would hand over released runs of envelopes.
    int chunk = 5_000;
    for (int i = 0; i < seq.size(); i += chunk) {
      ApplyReport r = applier.apply(partition, seq.subList(i, Math.min(seq.size(), i + chunk)), 0);
      applied += r.applied();
    }
    return applied;
  }

  /** Splits by source key hash: per-key order is kept inside each partition. */
  static List<List<Change>> split(List<Change> changes, int partitions) {
    List<List<Change>> out = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      out.add(new ArrayList<>());
    }
    for (Change c : changes) {
      int p =
          partitions == 1 ? 0 : Math.floorMod((c.table() + c.keysJson()).hashCode(), partitions);
      out.get(p).add(c);
    }
    return out;
  }
}
