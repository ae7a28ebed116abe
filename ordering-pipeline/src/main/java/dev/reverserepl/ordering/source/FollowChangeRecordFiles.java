package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Instant;

/**
 * An endless source of change-record files: keeps watching a directory and reads every new file
 * once, in file-name order, with event time = commit timestamp — a stand-in for the change stream
 * that needs no emulator. Rules (tests in {@code FollowChangeRecordFilesTest}):
 *
 * <ol>
 *   <li>FW1 The writer of the files promises that a file appears complete under its final name
 *       (write elsewhere, then rename), that names sort in commit order, and that every file holds
 *       only commits later than every earlier file's and no older than {@code maxDelayMillis} when
 *       it appears.
 *   <li>FW2 The watermark is the newest commit of the files read completely; when no unread file is
 *       left it moves on to now − {@code maxDelayMillis}, so idle streams still publish progress.
 *   <li>FW3 A file that breaks FW1 (a commit at or before the watermark already passed) fails the
 *       read, naming the file, the commit and the watermark: such a change would be sequenced out
 *       of commit order.
 *   <li>FW4 The checkpoint is (file, records read of it), so a reader resumed from it neither
 *       repeats nor skips.
 * </ol>
 */
public final class FollowChangeRecordFiles
    extends UnboundedSource<DataChangeRecord, FollowChangeRecordFiles.Checkpoint> {
  private final String path;
  private final long pollMillis;
  private final long maxDelayMillis;

  public FollowChangeRecordFiles(String path, long pollMillis, long maxDelayMillis) {
    if (pollMillis < 1 || maxDelayMillis < 0) {
      throw new IllegalArgumentException("pollMillis must be >= 1 and maxDelayMillis >= 0");
    }
    this.path = path;
    this.pollMillis = pollMillis;
    this.maxDelayMillis = maxDelayMillis;
  }

  /**
   * Where a reader stands: the file being read (null before the first) and how many of its records
   * are out.
   */
  public record Checkpoint(String file, int recordsRead, long watermarkMillis)
      implements CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<FollowChangeRecordFiles> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<DataChangeRecord> createReader(
      PipelineOptions options, Checkpoint checkpoint) {
    return new Reader(
        this, checkpoint == null ? new Checkpoint(null, 0, Long.MIN_VALUE) : checkpoint);
  }

  @Override
  public Coder<Checkpoint> getCheckpointMarkCoder() {
    return SerializableCoder.of(Checkpoint.class);
  }

  @Override
  public Coder<DataChangeRecord> getOutputCoder() {
    return SerializableCoder.of(DataChangeRecord.class);
  }

  static long commitMillis(DataChangeRecord r) {
    return r.getCommitTimestamp().toSqlTimestamp().getTime();
  }

  static final class Reader extends UnboundedReader<DataChangeRecord> {
    private final FollowChangeRecordFiles source;
    private String file;
    private List<DataChangeRecord> records = List.of();
    private int next;
    private long fileMaxMillis = Long.MIN_VALUE;
    private long watermark;
    private long lastPoll;
    private boolean caughtUp;
    private DataChangeRecord current;

    Reader(FollowChangeRecordFiles source, Checkpoint from) {
      this.source = source;
      this.file = from.file();
      this.next = from.recordsRead();
      this.watermark = from.watermarkMillis();
    }

    @Override
    public boolean start() throws IOException {
      if (file != null) {
        load(file);
      }
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      if (next >= records.size()) {
        if (file != null && !records.isEmpty()) {
          watermark = Math.max(watermark, fileMaxMillis);
        }
        String newer = nextFile();
        if (newer == null) {
          current = null;
          return false;
        }
        file = newer;
        next = 0;
        load(newer);
        if (records.isEmpty()) {
          return advance();
        }
      }
      current = records.get(next++);
      return true;
    }

    private String nextFile() {
      long now = System.currentTimeMillis();
      if (caughtUp && now - lastPoll < source.pollMillis) {
        return null;
      }
      lastPoll = now;
      List<String> names;
      try {
        names = ChangeRecordReader.fileNames(source.path);
      } catch (RuntimeException e) {
        names = List.of(); // the directory may not exist yet
      }
      for (String n : names) {
        if (file == null || n.compareTo(file) > 0) {
          caughtUp = false;
          return n;
        }
      }
      caughtUp = true;
      return null;
    }

    private void load(String name) {
      List<DataChangeRecord> all = new ArrayList<>();
      try (ChangeRecordReader r = ChangeRecordReader.open(name)) {
        r.forEachRemaining(all::add);
      }
      long max = Long.MIN_VALUE;
      for (DataChangeRecord r : all) {
        long t = commitMillis(r);
        if (t <= watermark && next == 0) {
          throw new IllegalStateException(
              "change-record file "
                  + name
                  + " holds a commit at "
                  + r.getCommitTimestamp()
                  + ", at or before the watermark "
                  + new Instant(watermark)
                  + " already passed: files must appear in commit order and within the follow delay of their commits");
        }
        max = Math.max(max, t);
      }
      records = all;
      fileMaxMillis = max;
    }

    @Override
    public DataChangeRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(commitMillis(getCurrent()));
    }

    @Override
    public Instant getWatermark() {
      long w = watermark;
      if (caughtUp && next >= records.size()) {
        w = Math.max(w, System.currentTimeMillis() - source.maxDelayMillis);
        watermark = w;
      }
      return w == Long.MIN_VALUE ? BoundedWindowMin.VALUE : new Instant(w);
    }

    @Override
    public Checkpoint getCheckpointMark() {
      return new Checkpoint(file, next, watermark);
    }

    @Override
    public UnboundedSource<DataChangeRecord, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }

  private static final class BoundedWindowMin {
    static final Instant VALUE =
        org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE;
  }
}
