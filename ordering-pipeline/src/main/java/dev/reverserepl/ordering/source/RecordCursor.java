package dev.reverserepl.ordering.source;

import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.changes.InputFiles;
import dev.reverserepl.common.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * Reads the records of one change-record file from a byte offset where a record begins, knowing the byte offset
 * and line number of each record it returns, so a read can stop after any record and resume there. Same format as
 * {@link ChangeRecordReader} (JSON lines; blank lines passed over; an object pretty-printed over several lines when
 * its first line is just {@code {}); errors name the file and {@code line N}.
 */
final class RecordCursor implements Closeable {
  private final String file;
  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
  // own buffer: a byte at a time through BufferedInputStream (synchronized) dominated replays
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long offset;
  private long lineNumber;
  private long recordOffset;
  private long recordLine;

  private RecordCursor(String file, InputStream in, long offset, long lineNumber) {
    this.file = file;
    this.in = in;
    this.offset = offset;
    this.lineNumber = lineNumber;
  }

  /**
   * @param lineNumber lines before {@code offset} (0 at the start of the file)
   */
  static RecordCursor open(String file, long offset, long lineNumber) {
    try {
      InputStream in = InputFiles.open(file);
      long skipped = 0;
      while (skipped < offset) {
        long n = in.skip(offset - skipped);
        if (n <= 0) {
          in.close();
          throw new ConfigException(
              file, "byte " + offset, "", "file is shorter than when it was indexed");
        }
        skipped += n;
      }
      return new RecordCursor(file, in, offset, lineNumber);
    } catch (IOException e) {
      throw new ConfigException(file, "", "", "cannot read: " + e.getMessage(), e);
    }
  }

  /** The next record, or null at the end of the file. */
  DataChangeRecord next() {
    Text t = nextText();
    return t == null ? null : t.parse(file);
  }

  /** A record's text, where it begins and on which line, not parsed yet. */
  record Text(String text, long offset, long line) {
    DataChangeRecord parse(String file) {
      return ChangeRecordReader.parseLine(text, file, line);
    }

    /** Lines before the record. */
    long linesBefore() {
      return line - 1;
    }
  }

  /** The next record's text, or null at the end of the file. */
  Text nextText() {
    try {
      String text;
      do {
        recordOffset = offset;
        text = readLine();
        if (text == null) {
          return null;
        }
      } while (text.isBlank());
      recordLine = lineNumber;
      if (text.trim().equals("{")) {
        text = readPrettyObject(text);
      }
      return new Text(text, recordOffset, recordLine);
    } catch (IOException e) {
      throw new ConfigException(
          file, "line " + lineNumber, "", "cannot read: " + e.getMessage(), e);
    }
  }

  /** Byte offset just past the record last returned: where a resumed cursor opens. */
  long offset() {
    return offset;
  }

  /** Lines up to {@link #offset()}. */
  long lines() {
    return lineNumber;
  }

  /** Byte offset where the record last returned begins. */
  long recordOffset() {
    return recordOffset;
  }

  /** Lines before the record last returned. */
  long linesBeforeRecord() {
    return recordLine - 1;
  }

  private String readLine() throws IOException {
    line.reset();
    boolean newline = false;
    while (!newline) {
      if (pos == limit && !fill()) {
        if (line.size() == 0) {
          return null;
        }
        break;
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      line.write(buf, start, pos - start);
      if (pos < limit) {
        newline = true;
        pos++;
      }
    }
    offset += line.size() + (newline ? 1 : 0);
    lineNumber++;
    int n = line.size();
    byte[] bytes = line.toByteArray();
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    pos = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }

  /** Collects a pretty-printed object until its braces balance (ignoring braces inside strings). */
  private String readPrettyObject(String first) throws IOException {
    StringBuilder sb = new StringBuilder(first).append('\n');
    BraceDepth depth = new BraceDepth();
    depth.feed(first);
    while (depth.depth > 0) {
      String next = readLine();
      if (next == null) {
        throw new ConfigException(
            file,
            "line " + recordLine,
            "",
            "object starting here is not closed before end of file");
      }
      depth.feed(next);
      sb.append(next).append('\n');
    }
    return sb.toString();
  }

  private static final class BraceDepth {
    int depth;
    boolean inString;
    boolean escaped;

    void feed(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new ConfigException(file, "", "", "cannot close: " + e.getMessage(), e);
    }
  }
}
