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

  /**
   * The next record of a file that was indexed (its index pass parsed every line in full), or null
   * at the end of the file.
   */
  DataChangeRecord next() {
    Text t = nextText();
    return t == null ? null : t.parseChecked(file);
  }

  /**
   * A record's text as the file's UTF-8 bytes, where it begins and on which line, not decoded nor
   * parsed yet: the pass that indexes a file hands both to its parsing threads.
   */
  record Text(byte[] utf8, long offset, long line) {
    DataChangeRecord parse(String file) {
      return ChangeRecordReader.parseLine(utf8, file, line);
    }

    /**
     * A line its file's index pass accepted, read again ({@link
     * ChangeRecordReader#parseCheckedLine}).
     */
    DataChangeRecord parseChecked(String file) {
      return ChangeRecordReader.parseCheckedLine(utf8, file, line);
    }

    /** Lines before the record. */
    long linesBefore() {
      return line - 1;
    }
  }

  /** The next record's text, or null at the end of the file. */
  Text nextText() {
    try {
      byte[] text;
      do {
        recordOffset = offset;
        text = readLine();
        if (text == null) {
          return null;
        }
      } while (isBlank(text));
      recordLine = lineNumber;
      if (isOpeningBrace(text)) {
        text = readPrettyObject(text);
      }
      return new Text(text, recordOffset, recordLine);
    } catch (IOException e) {
      throw new ConfigException(
          file, "line " + lineNumber, "", "cannot read: " + e.getMessage(), e);
    }
  }

  // As String.isBlank: bytes of ASCII whitespace only, or decoded when any is not ASCII.
  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b < 0) {
        return new String(line, StandardCharsets.UTF_8).isBlank();
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  // As trim().equals("{"): trim drops every char up to U+0020, which in UTF-8 are single bytes.
  private static boolean isOpeningBrace(byte[] line) {
    int from = 0;
    int to = line.length;
    while (from < to && (line[from] & 0xff) <= ' ') {
      from++;
    }
    while (to > from && (line[to - 1] & 0xff) <= ' ') {
      to--;
    }
    return to - from == 1 && line[from] == '{';
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

  private byte[] readLine() throws IOException {
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
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    return n > 0 && bytes[n - 1] == '\r' ? java.util.Arrays.copyOf(bytes, n - 1) : bytes;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    pos = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }

  /** Collects a pretty-printed object until its braces balance (ignoring braces inside strings). */
  private byte[] readPrettyObject(byte[] first) throws IOException {
    ByteArrayOutputStream object = new ByteArrayOutputStream();
    BraceDepth depth = new BraceDepth();
    byte[] next = first;
    do {
      if (next == null) {
        throw new ConfigException(
            file,
            "line " + recordLine,
            "",
            "object starting here is not closed before end of file");
      }
      depth.feed(next);
      object.write(next);
      object.write('\n');
      if (depth.depth > 0) {
        next = readLine();
      }
    } while (depth.depth > 0);
    return object.toByteArray();
  }

  private static final class BraceDepth {
    int depth;
    boolean inString;
    boolean escaped;

    // Braces, quotes and backslashes are ASCII, never part of a multi-byte UTF-8 sequence.
    void feed(byte[] s) {
      for (byte c : s) {
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
