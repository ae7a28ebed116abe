package dev.reverserepl.common.changes;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * Writes {@link DataChangeRecord}s as JSON lines in the Gson form {@link ChangeRecordReader} reads
 * (and the change-streams-to-GCS template writes): one record per line, UTF-8, {@code \n} after
 * every record.
 */
public final class ChangeRecordWriter implements Closeable {
  private final Writer out;

  public ChangeRecordWriter(OutputStream out) {
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  /** Creates (or truncates) a local file, creating parent directories. */
  public static ChangeRecordWriter create(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return new ChangeRecordWriter(Files.newOutputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  /** One record's JSON line, without the newline. */
  public static String toJson(DataChangeRecord record) {
    return ChangeRecordGson.GSON.toJson(record, DataChangeRecord.class);
  }

  public void write(DataChangeRecord record) {
    try {
      out.write(toJson(record));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
