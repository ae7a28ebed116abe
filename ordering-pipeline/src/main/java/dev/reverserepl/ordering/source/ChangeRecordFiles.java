package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Replays change-record files (JSON lines of {@link DataChangeRecord}, a file or a directory, local or gs://) with
 * each record's event time set to its commit timestamp, as {@code SpannerIO.readChangeStream} would emit it. The
 * input is bounded, so the watermark only passes a commit time once every file was read: nothing is late.
 */
public final class ChangeRecordFiles extends PTransform<PBegin, PCollection<DataChangeRecord>> {
  private final String path;

  public ChangeRecordFiles(String path) {
    this.path = path;
  }

  @Override
  public PCollection<DataChangeRecord> expand(PBegin begin) {
    List<String> files = ChangeRecordReader.fileNames(path);
    return begin
        .apply("FileNames", Create.of(files).withCoder(StringUtf8Coder.of()))
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply("ReadRecords", ParDo.of(new ReadFileFn()));
  }

  static final class ReadFileFn extends DoFn<String, DataChangeRecord> {
    @ProcessElement
    public void process(@Element String file, OutputReceiver<DataChangeRecord> out) {
      try (ChangeRecordReader reader = ChangeRecordReader.open(file)) {
        while (reader.hasNext()) {
          DataChangeRecord r = reader.next();
          out.outputWithTimestamp(r, new Instant(r.getCommitTimestamp().toSqlTimestamp().getTime()));
        }
      }
    }
  }
}
