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
 * Reads change-record files (JSON lines of {@link DataChangeRecord}, a file or a directory, local or gs://) with
 * event time = commit timestamp, like the change stream itself. A malformed line fails the read with its file and
 * line number: nothing after it is silently dropped.
 */
public final class ChangeRecordFiles extends PTransform<PBegin, PCollection<DataChangeRecord>> {
  private final String path;

  private ChangeRecordFiles(String path) {
    this.path = path;
  }

  public static ChangeRecordFiles from(String path) {
    return new ChangeRecordFiles(path);
  }

  @Override
  public PCollection<DataChangeRecord> expand(PBegin begin) {
    List<String> files = ChangeRecordReader.fileNames(path);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no change-record files at " + path);
    }
    return begin
        .apply("ListFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
        .apply("OneFilePerWorker", Reshuffle.viaRandomKey())
        .apply("ReadRecords", ParDo.of(new ReadFileFn()));
  }

  static final class ReadFileFn extends DoFn<String, DataChangeRecord> {
    @ProcessElement
    public void process(@Element String file, OutputReceiver<DataChangeRecord> out) throws Exception {
      try (ChangeRecordReader reader = ChangeRecordReader.open(file)) {
        while (reader.hasNext()) {
          DataChangeRecord r = reader.next();
          out.outputWithTimestamp(r, new Instant(r.getCommitTimestamp().toSqlTimestamp().getTime()));
        }
      }
    }
  }
}
