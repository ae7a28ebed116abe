package dev.reverserepl.ordering.source;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * One indexed change-record file read in this process, paced by a {@link FlowGate} (rule S5), a
 * chunk of the index at a time: the reader has nothing to give while the gate is full, after a
 * chunk its watermark is the suffix minimum of the next ({@link FileIndex}), and at the end of the
 * file it moves to the end of time, which ends the read. Whole chunks, because the DirectRunner's
 * cost is per element and per bundle more than per record. The reader parses the next chunk on a
 * thread of its own while the runner's thread carries the current one through the stages after the
 * read: parsing was close to half of that thread's work.
 */
final class PacedFileSource
    extends UnboundedSource<List<DataChangeRecord>, PacedFileSource.Checkpoint> {
  private final FileIndex index;
  private final String flowGateId;

  PacedFileSource(FileIndex index, String flowGateId) {
    this.index = index;
    this.flowGateId = flowGateId;
  }

  /** The next chunk to read, or done. */
  record Checkpoint(int chunk, boolean done) implements CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<PacedFileSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<List<DataChangeRecord>> createReader(
      PipelineOptions options, Checkpoint checkpoint) {
    return new Reader(
        this, checkpoint != null ? checkpoint : new Checkpoint(0, index.chunks() == 0));
  }

  @Override
  public Coder<Checkpoint> getCheckpointMarkCoder() {
    return SerializableCoder.of(Checkpoint.class);
  }

  @Override
  public Coder<List<DataChangeRecord>> getOutputCoder() {
    return ListCoder.of(SerializableCoder.of(DataChangeRecord.class));
  }

  private static final class Reader extends UnboundedReader<List<DataChangeRecord>> {
    private final PacedFileSource source;
    private final FileIndex index;
    private final ChunkReadAhead ahead;
    private Checkpoint at;
    private List<DataChangeRecord> current;
    private long currentMillis;

    Reader(PacedFileSource source, Checkpoint from) {
      this.source = source;
      this.index = source.index;
      this.ahead = new ChunkReadAhead(index);
      this.at = from;
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      current = null;
      FlowGate gate = FlowGate.find(source.flowGateId);
      if (at.done() || (gate != null && gate.full())) {
        return false;
      }
      int c = at.chunk();
      List<DataChangeRecord> chunk = ahead.take(c);
      long mods = 0;
      for (DataChangeRecord r : chunk) {
        mods += r.getMods() == null ? 0 : r.getMods().size();
      }
      at = new Checkpoint(c + 1, c + 1 >= index.chunks());
      current = chunk;
      // the chunk's timestamp is its earliest commit: each record goes on at its own, never before
      currentMillis = Long.MAX_VALUE;
      for (DataChangeRecord r : chunk) {
        currentMillis = Math.min(currentMillis, ChangeRecordFiles.commitMillis(r));
      }
      if (gate != null) {
        gate.read(mods);
      }
      return true;
    }

    @Override
    public List<DataChangeRecord> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      getCurrent();
      return new Instant(currentMillis);
    }

    @Override
    public Instant getWatermark() {
      return at.done()
          ? BoundedWindow.TIMESTAMP_MAX_VALUE
          : new Instant(index.suffixMinMillis()[at.chunk()]);
    }

    @Override
    public Checkpoint getCheckpointMark() {
      return at;
    }

    @Override
    public PacedFileSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() {
      ahead.close();
    }
  }
}
