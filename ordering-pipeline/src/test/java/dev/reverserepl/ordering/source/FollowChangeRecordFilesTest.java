package dev.reverserepl.ordering.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endless change-record source (rules FW1–FW4). */
class FollowChangeRecordFilesTest {
  private static final String SESSION = Fixtures.repo("parcels-sharded/session.json").toString();

  @TempDir Path dir;

  private List<DataChangeRecord> write(String name, Instant start, long seed) throws Exception {
    List<DataChangeRecord> records = new ArrayList<>();
    WorkloadGenerator.forSessionFile(
            SESSION,
            WorkloadSpec.defaults()
                .withChanges(20)
                .withSeed(seed)
                .withShardIds(List.of("shard1", "shard2"))
                .withStart(start))
        .generate(records::add);
    Path tmp = dir.resolve("." + name + ".tmp");
    try (ChangeRecordWriter w = ChangeRecordWriter.create(tmp)) {
      records.forEach(w::write);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    return records;
  }

  private static List<DataChangeRecord> drain(UnboundedReader<DataChangeRecord> r, boolean started)
      throws Exception {
    List<DataChangeRecord> out = new ArrayList<>();
    for (boolean more = started; more; more = r.advance()) {
      out.add(r.getCurrent());
    }
    return out;
  }

  private static long millis(DataChangeRecord r) {
    return r.getCommitTimestamp().toSqlTimestamp().getTime();
  }

  @Test
  void ruleFW2_newFilesAreReadAsTheyAppearAndTheWatermarkFollowsTheirCommits() throws Exception {
    Instant t = Instant.now().minusSeconds(60);
    FollowChangeRecordFiles source = new FollowChangeRecordFiles(dir.toString(), 1, 3_600_000);
    UnboundedReader<DataChangeRecord> r =
        source.createReader(PipelineOptionsFactory.create(), null);
    assertFalse(r.start(), "nothing yet");
    List<DataChangeRecord> first = write("c-1.jsonl", t, 1);
    Thread.sleep(5);
    List<DataChangeRecord> read = drain(r, r.advance());
    assertEquals(first, read);
    long newest = first.stream().mapToLong(FollowChangeRecordFilesTest::millis).max().orElseThrow();
    assertEquals(newest, r.getWatermark().getMillis());
    List<DataChangeRecord> second = write("c-2.jsonl", Instant.ofEpochMilli(newest + 1000), 2);
    Thread.sleep(5);
    assertEquals(second, drain(r, r.advance()));
  }

  @Test
  void ruleFW2_anIdleSourceMovesTheWatermarkToNowMinusTheDelay() throws Exception {
    write("c-1.jsonl", Instant.now().minusSeconds(600), 1);
    FollowChangeRecordFiles source = new FollowChangeRecordFiles(dir.toString(), 1, 2_000);
    UnboundedReader<DataChangeRecord> r =
        source.createReader(PipelineOptionsFactory.create(), null);
    drain(r, r.start());
    Thread.sleep(5);
    assertFalse(r.advance());
    long w = r.getWatermark().getMillis();
    assertTrue(Math.abs(System.currentTimeMillis() - 2_000 - w) < 1_000, "watermark " + w);
  }

  @Test
  void ruleFW3_aFileWithCommitsBeforeThePassedWatermarkFailsTheRead() throws Exception {
    FollowChangeRecordFiles source = new FollowChangeRecordFiles(dir.toString(), 1, 1_000);
    UnboundedReader<DataChangeRecord> r =
        source.createReader(PipelineOptionsFactory.create(), null);
    r.start();
    Thread.sleep(5);
    r.advance();
    r.getWatermark(); // idle: now − 1 s
    write("c-1.jsonl", Instant.now().minusSeconds(3600), 1);
    Thread.sleep(5);
    IllegalStateException e = assertThrows(IllegalStateException.class, r::advance);
    assertTrue(
        e.getMessage().contains("c-1.jsonl") && e.getMessage().contains("watermark"),
        e.getMessage());
  }

  @Test
  void ruleFW4_aReaderResumedFromItsCheckpointNeitherRepeatsNorSkips() throws Exception {
    Instant t = Instant.now().minusSeconds(60);
    List<DataChangeRecord> all = new ArrayList<>(write("c-1.jsonl", t, 1));
    all.addAll(write("c-2.jsonl", t.plusSeconds(10), 2));
    FollowChangeRecordFiles source = new FollowChangeRecordFiles(dir.toString(), 1, 3_600_000);
    UnboundedReader<DataChangeRecord> r =
        source.createReader(PipelineOptionsFactory.create(), null);
    List<DataChangeRecord> read = new ArrayList<>();
    boolean more = r.start();
    for (int i = 0; i < all.size() / 2 + 3 && more; i++) {
      read.add(r.getCurrent());
      more = r.advance();
    }
    FollowChangeRecordFiles.Checkpoint cp =
        (FollowChangeRecordFiles.Checkpoint) r.getCheckpointMark();
    UnboundedReader<DataChangeRecord> resumed =
        source.createReader(PipelineOptionsFactory.create(), cp);
    // the current record counts as read once the checkpoint is taken
    read.add(r.getCurrent());
    read.addAll(drain(resumed, resumed.start()));
    assertEquals(all, read);
  }
}
