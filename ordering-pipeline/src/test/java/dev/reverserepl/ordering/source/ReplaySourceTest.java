package dev.reverserepl.ordering.source;

import static dev.reverserepl.ordering.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.ordering.OrderChanges;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingResult;
import dev.reverserepl.ordering.route.FileHistoryRead;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules S4 and S5 of the module README: a replay of change-record files is sequenced gaplessly
 * while the files are read (the file source moves the watermark chunk by chunk), and with an
 * in-process flow gate the changes held at once stay bounded by the gate's room whatever the size
 * of the file. Each run prints its wall time, CPU seconds and peak heap.
 */
class ReplaySourceTest {
  private static final long T0 = 1_700_000_000_000_000L; // micros
  private static final long ROOM = 20_000;
  private static final int ROWS = 2_000;
  private static final AtomicLong READ = new AtomicLong();
  private static final AtomicLong SEQUENCED = new AtomicLong();
  private static final AtomicLong MAX_IN_FLIGHT = new AtomicLong();
  private static final AtomicLong DEAD_LETTERS = new AtomicLong();
  private static final Map<String, Long> LAST_SEQ = new ConcurrentHashMap<>();

  @TempDir Path dir;

  @Test
  void ruleS4_aReplayIsSequencedGaplesslyWhateverItsSize() throws Exception {
    Run r = replay(10_000, null);
    r.print("ruleS4 (no flow gate)");
    r.assertGapless();
  }

  @Test
  void ruleS5_aPacedReplayHoldsABoundedNumberOfChangesWhateverItsSize() throws Exception {
    int n = 200_000;
    try (FlowGate gate = FlowGate.open(ROOM)) {
      Run r = replay(n, gate);
      r.print("ruleS5 (flow gate of " + ROOM + ", room at the end " + gate.room() + ")");
      r.assertGapless();
      assertEquals(n, r.read);
      // everything read is released again, so the room only doubled if a slice needed it
      assertTrue(
          r.maxInFlight <= gate.room() + ChangeRecordFiles.CHUNK_RECORDS,
          "held " + r.maxInFlight + " with room " + gate.room());
      assertTrue(
          r.maxInFlight < n / 2,
          "a paced replay must not hold most of its input: held " + r.maxInFlight + " of " + n);
    }
  }

  @Test
  void ruleS5_aPacedReplayOfManyRowsWithDeletesResolvedFromItsFilesStaysBounded() throws Exception {
    int n = 199_998; // whole rows, as many on each shard
    try (FlowGate gate = FlowGate.open(ROOM)) {
      Run r = replay(n, gate, Workload.ROW_LIFECYCLES);
      r.print(
          "ruleS5, "
              + n / 3
              + " rows inserted, updated and deleted (room at the end "
              + gate.room()
              + ")");
      r.assertGapless();
      assertEquals(0, DEAD_LETTERS.get(), "every delete finds its shard in the files");
      assertTrue(
          r.maxInFlight <= gate.room() + ChangeRecordFiles.CHUNK_RECORDS,
          "held " + r.maxInFlight + " with room " + gate.room());
    }
  }

  /** What the replayed file holds; one change per record, 2 ms apart, two shards. */
  private enum Workload {
    /** 2,000 rows, each inserted and then updated over and over. */
    UPDATES,
    /**
     * Each row inserted, updated and deleted, the delete without the shard-id column (rule R2):
     * every row is new, so per-row state would grow with the file.
     */
    ROW_LIFECYCLES
  }

  private Run replay(int n, FlowGate gate) throws Exception {
    return replay(n, gate, Workload.UPDATES);
  }

  private static DataChangeRecord change(Workload w, int i) {
    int row = w == Workload.UPDATES ? i % ROWS : i / 3;
    String shard = row % 2 == 0 ? "shard1" : "shard2";
    String keys = "{\"parcel_id\":\"" + row + "\"}";
    ModType type =
        w == Workload.UPDATES
            ? (i < ROWS ? ModType.INSERT : ModType.UPDATE)
            : List.of(ModType.INSERT, ModType.UPDATE, ModType.DELETE).get(i % 3);
    String values =
        type == ModType.DELETE
            ? "{}"
            : "{\"parcel_id\":\"" + row + "\",\"migration_shard_id\":\"" + shard + "\"}";
    return record(T0 + i * 2_000L, "tx" + i, 0, "parcel", type, "", keys, values);
  }

  private Run replay(int n, FlowGate gate, Workload workload) throws Exception {
    READ.set(0);
    SEQUENCED.set(0);
    MAX_IN_FLIGHT.set(0);
    DEAD_LETTERS.set(0);
    LAST_SEQ.clear();
    Path file = dir.resolve("changes-" + n + ".jsonl");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(file)) {
      for (int i = 0; i < n; i++) {
        w.write(change(workload, i));
      }
    }
    SessionMapping session =
        SessionMapping.load(Fixtures.repo("parcels-sharded/session.json").toString());
    List<Shard> shards =
        List.of(
            Shard.of("shard1", "127.0.0.1", 3306, "u", "p", "db1"),
            Shard.of("shard2", "127.0.0.1", 3306, "u", "p", "db2"));
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setBlockOnRun(true);
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(o);
    ChangeRecordFiles source = ChangeRecordFiles.from(file.toString());
    OrderChanges ordering = OrderChanges.with(OrderingConfig.of(session, shards, 5));
    FileHistoryRead.Source history = ordering.fileHistoryOf(file.toString());
    ordering = ordering.withFileHistory(history);
    if (gate != null) {
      source = source.withFlowGate(gate);
      ordering = ordering.withFlowGate(gate);
    }
    OrderingResult ordered =
        p.apply("Read", source).apply("CountRead", ParDo.of(new CountRead())).apply(ordering);
    ordered.envelopes().apply("CountSequenced", ParDo.of(new CountSequenced()));
    ordered.deadLetters().apply("CountDeadLetters", ParDo.of(new CountDeadLetters()));

    HeapSampler heap = new HeapSampler();
    heap.start();
    long cpu0 = processCpuNanos();
    long started = System.nanoTime();
    // built before the read, as rr replay does, so the paced read never waits for it
    try (FileHistoryRead pinned = history.open()) {
      p.run().waitUntilFinish();
    }
    Run r = new Run();
    r.n = n;
    r.seconds = (System.nanoTime() - started) / 1e9;
    r.cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    heap.stop();
    r.peakHeapMb = heap.peakMb();
    r.read = READ.get();
    r.sequenced = SEQUENCED.get();
    r.maxInFlight = MAX_IN_FLIGHT.get();
    r.lastSeq = Map.copyOf(LAST_SEQ);
    return r;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** What one replay did. */
  private static final class Run {
    int n;
    double seconds;
    double cpuSeconds;
    long peakHeapMb;
    long read;
    long sequenced;
    long maxInFlight;
    Map<String, Long> lastSeq;

    void print(String what) {
      System.out.printf(
          "%s: replay of %,d changes sequenced in %.1f s (%.1f CPU s of this process);"
              + " most changes read but not yet sequenced at any moment %,d; peak heap used %,d MB%n",
          what, n, seconds, cpuSeconds, maxInFlight, peakHeapMb);
    }

    void assertGapless() {
      assertEquals(n, read);
      assertEquals(n, sequenced);
      assertEquals(
          Map.of("shard1", (long) n / 2, "shard2", (long) n / 2),
          lastSeq,
          "gapless 1..n per shard");
    }
  }

  static final class CountRead extends DoFn<DataChangeRecord, DataChangeRecord> {
    @ProcessElement
    public void process(@Element DataChangeRecord r, OutputReceiver<DataChangeRecord> out) {
      READ.addAndGet(r.getMods().size());
      out.output(r);
    }
  }

  static final class CountDeadLetters extends DoFn<DeadLetter, Void> {
    @ProcessElement
    public void process(@Element DeadLetter d) {
      DEAD_LETTERS.incrementAndGet();
    }
  }

  static final class CountSequenced extends DoFn<Envelope, Void> {
    @ProcessElement
    public void process(@Element Envelope e) {
      long done = SEQUENCED.addAndGet(e.changes().size());
      MAX_IN_FLIGHT.accumulateAndGet(READ.get() - done, Math::max);
      if (!e.changes().isEmpty()) {
        LAST_SEQ.merge(e.shardId(), e.lastSequence(), Math::max);
      }
    }
  }

  /** Samples used heap every 100 ms. */
  private static final class HeapSampler {
    private final Thread thread;
    private volatile boolean running = true;
    private long peak;

    HeapSampler() {
      thread =
          new Thread(
              () -> {
                Runtime rt = Runtime.getRuntime();
                while (running) {
                  peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    long peakMb() {
      return peak / (1024 * 1024);
    }
  }
}
