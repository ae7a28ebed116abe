package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Instant;

/**
 * Reads change-record files (JSON lines of {@link DataChangeRecord}, a file or a directory, local
 * or gs://) with event time = commit timestamp, like the change stream itself. A malformed line
 * fails the read with its file and line number: nothing after it is silently dropped.
 *
 * <p>The read advances the watermark as it goes (rule S4 of the module README): each file is
 * indexed once into chunks of {@value #CHUNK_RECORDS} records with the lowest commit time of
 * everything from each chunk on, then read by a splittable DoFn that claims one chunk at a time
 * and, after each, sets the watermark to the next chunk's suffix minimum and checkpoints. The
 * sequencer closes and releases slices while the file is still being read instead of holding the
 * whole file in runner state.
 */
public final class ChangeRecordFiles extends PTransform<PBegin, PCollection<DataChangeRecord>> {
  static final int CHUNK_RECORDS = 500;

  private final String path;
  private final String flowGateId;
  private final transient FileScan scan;

  private ChangeRecordFiles(String path, String flowGateId, FileScan scan) {
    this.path = path;
    this.flowGateId = flowGateId;
    this.scan = scan;
  }

  public static ChangeRecordFiles from(String path) {
    return new ChangeRecordFiles(path, null, null);
  }

  /** Paced by an in-process {@link FlowGate} (rule S5): reads on only while the gate has room. */
  public ChangeRecordFiles withFlowGate(FlowGate gate) {
    return new ChangeRecordFiles(path, gate.id(), scan);
  }

  /** The paced read takes its file indexes from {@code scan} instead of reading the files again. */
  public ChangeRecordFiles withScan(FileScan scan) {
    return new ChangeRecordFiles(path, flowGateId, scan);
  }

  @Override
  public PCollection<DataChangeRecord> expand(PBegin begin) {
    List<String> files = ChangeRecordReader.fileNames(path);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no change-record files at " + path);
    }
    if (flowGateId != null) {
      return paced(begin, files);
    }
    return begin
        .apply("ListFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
        .apply("OneFilePerWorker", Reshuffle.viaRandomKey())
        .apply("IndexFile", ParDo.of(new IndexFileFn()))
        .setCoder(SerializableCoder.of(FileIndex.class))
        .apply("ReadRecords", ParDo.of(new ReadChunksFn()));
  }

  /**
   * Rule S5: in this process, each file indexed here and read by a {@link PacedFileSource}, an
   * unbounded source whose watermark the DirectRunner does move during the read (it holds the
   * splittable read's watermark until the whole restriction is done).
   */
  private PCollection<DataChangeRecord> paced(PBegin begin, List<String> files) {
    PCollectionList<DataChangeRecord> reads = PCollectionList.empty(begin.getPipeline());
    for (int i = 0; i < files.size(); i++) {
      FileIndex index = scan != null ? scan.index(files.get(i)) : FileIndex.build(files.get(i));
      PacedFileSource source = new PacedFileSource(index, flowGateId);
      reads =
          reads.and(
              begin
                  .apply("ReadPaced" + i, Read.from(source))
                  .apply("Records" + i, ParDo.of(new UnchunkFn())));
    }
    return reads.apply("AllFiles", Flatten.pCollections());
  }

  /** A paced chunk's records, each at its own commit time (never before the chunk's). */
  static final class UnchunkFn extends DoFn<List<DataChangeRecord>, DataChangeRecord> {
    @ProcessElement
    public void process(
        @Element List<DataChangeRecord> chunk, OutputReceiver<DataChangeRecord> out) {
      for (DataChangeRecord r : chunk) {
        out.outputWithTimestamp(r, new Instant(commitMillis(r)));
      }
    }
  }

  /** One pass over the file: chunk starts and suffix minima of commit time. */
  static final class IndexFileFn extends DoFn<String, FileIndex> {
    @ProcessElement
    public void process(@Element String file, OutputReceiver<FileIndex> out) {
      out.output(FileIndex.build(file));
    }
  }

  /** Reads claimed chunks; the watermark after a chunk is the lowest commit time still to come. */
  static final class ReadChunksFn extends DoFn<FileIndex, DataChangeRecord> {
    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element FileIndex index) {
      return new OffsetRange(0, index.chunks());
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark(@Element FileIndex index, @Restriction OffsetRange range) {
      return range.getFrom() < index.chunks()
          ? new Instant(index.suffixMinMillis()[(int) range.getFrom()])
          : BoundedWindowMax.VALUE;
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.Manual newWatermarkEstimator(
        @WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.Manual(state);
    }

    @ProcessElement
    public ProcessContinuation process(
        @Element FileIndex index,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        OutputReceiver<DataChangeRecord> out) {
      long i = tracker.currentRestriction().getFrom();
      if (tracker.tryClaim(i)) {
        int c = (int) i;
        for (DataChangeRecord r : index.readChunk(c)) {
          out.outputWithTimestamp(r, new Instant(commitMillis(r)));
        }
        if (c + 1 < index.chunks()) {
          watermark.setWatermark(new Instant(index.suffixMinMillis()[c + 1]));
          // yield after every chunk: the new watermark reaches the sequencer and the stages after
          // the read catch up
          // before the next chunk, so what is held downstream stays about one chunk (runners
          // without back-pressure,
          // such as the DirectRunner, would otherwise read the whole file ahead of the watermark)
          return ProcessContinuation.resume();
        }
      }
      return ProcessContinuation.stop();
    }
  }

  private static final class BoundedWindowMax {
    static final Instant VALUE =
        org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MAX_VALUE;
  }

  static long commitMillis(DataChangeRecord r) {
    return r.getCommitTimestamp().toSqlTimestamp().getTime();
  }
}
