package dev.reverserepl.common.changes;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.config.ConfigException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;

/**
 * Reads Spanner data change records written as JSON lines (one Gson serialisation of Beam's
 * {@link DataChangeRecord} per line, as the change-streams-to-GCS template writes in TEXT mode) from a file, a
 * directory of files (sorted by name, hidden files skipped) or a gs:// path. Rules 1..7 of "Change records" in
 * the module README.
 *
 * <p>A bad line stops the reader with a {@link ConfigException} naming the file, {@code line N} and the field: no
 * record after it is returned, so nothing is silently dropped. Blank lines carry nothing and are passed over. A
 * record pretty-printed over several lines is accepted when its first line is just {@code {}.
 */
public final class ChangeRecordReader implements Iterator<DataChangeRecord>, Closeable {
  private final List<String> files;
  private int fileIndex = -1;
  private String file;
  private BufferedReader in;
  private long lineNumber;
  private DataChangeRecord next;

  private ChangeRecordReader(List<String> files) {
    this.files = files;
  }

  /** Opens a file, a directory or a gs:// path for streaming reads. */
  public static ChangeRecordReader open(String path) {
    return new ChangeRecordReader(InputFiles.list(path));
  }

  /** Every record under the path, in file order then line order. */
  public static List<DataChangeRecord> readAll(String path) {
    List<DataChangeRecord> out = new ArrayList<>();
    try (ChangeRecordReader r = open(path)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  /**
   * The local files a path names (the file, or the directory's non-hidden files sorted by name).
   */
  public static List<Path> files(String path) {
    if (InputFiles.isRemote(path)) {
      throw new ConfigException(path, "", "", "not a local path; use fileNames() for remote paths");
    }
    return InputFiles.list(path).stream()
        .map(f -> f.startsWith("file://") ? Path.of(java.net.URI.create(f)) : Path.of(f))
        .toList();
  }

  /** The files a local or remote path names, as strings. */
  public static List<String> fileNames(String path) {
    return InputFiles.list(path);
  }

  /** Parses one JSON record; errors name {@code source} and {@code line N}. */
  public static DataChangeRecord parseLine(String json, String source, long lineNumber) {
    return new DataChangeRecordJson(source, "line " + lineNumber).parse(json);
  }

  /**
   * A line that {@link #parseLine} already accepted once (e.g. when its file was indexed), read
   * again: token by token when it has the plain form, in full otherwise. The JSON inside its mods
   * is not checked again.
   */
  public static DataChangeRecord parseCheckedLine(byte[] utf8, String source, long lineNumber) {
    DataChangeRecord r = CheckedRecordParse.parse(utf8);
    return r != null ? r : new DataChangeRecordJson(source, "line " + lineNumber).parseTree(utf8);
  }

  /** {@link #parseLine(String, String, long)} of a line given as its UTF-8 bytes. */
  public static DataChangeRecord parseLine(byte[] utf8, String source, long lineNumber) {
    return new DataChangeRecordJson(source, "line " + lineNumber).parse(utf8);
  }

  /**
   * Splits a record into one {@link Change} per mod, in mod order; {@code modIndex} is the mod's
   * index. The record sequence must be a decimal number (the reader checks this for every line it
   * returns).
   */
  public static List<Change> toChanges(DataChangeRecord r) {
    long commitNanos =
        Math.addExact(
            Math.multiplyExact(r.getCommitTimestamp().getSeconds(), 1_000_000_000L),
            r.getCommitTimestamp().getNanos());
    long sequence = Long.parseLong(r.getRecordSequence());
    ModKind kind = ModKind.fromModType(r.getModType().name());
    List<Change> out = new ArrayList<>(r.getMods().size());
    for (int i = 0; i < r.getMods().size(); i++) {
      Mod m = r.getMods().get(i);
      String values = kind.isDelete() ? "{}" : m.getNewValuesJson();
      out.add(
          new Change(
              r.getTableName(),
              kind,
              m.getKeysJson(),
              values,
              new ChangePosition(commitNanos, r.getServerTransactionId(), sequence, i),
              r.getTransactionTag(),
              r.getNumberOfRecordsInTransaction()));
    }
    return out;
  }

  /** The file being read, or null before the first record. */
  public String currentFile() {
    return file;
  }

  /** The line number of the last line read in {@link #currentFile()}. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public DataChangeRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    DataChangeRecord r = next;
    next = null;
    return r;
  }

  private DataChangeRecord advance() {
    try {
      while (true) {
        if (in == null) {
          if (++fileIndex >= files.size()) {
            return null;
          }
          file = files.get(fileIndex);
          in =
              new BufferedReader(
                  new InputStreamReader(InputFiles.open(file), StandardCharsets.UTF_8));
          lineNumber = 0;
        }
        String line = in.readLine();
        if (line == null) {
          in.close();
          in = null;
          continue;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        long start = lineNumber;
        String text = line.trim().equals("{") ? readPrettyObject(line, start) : line;
        return parseLine(text, file, start);
      }
    } catch (IOException e) {
      throw new ConfigException(
          file, "line " + lineNumber, "", "cannot read: " + e.getMessage(), e);
    }
  }

  /** Collects a pretty-printed object until its braces balance (ignoring braces inside strings). */
  private String readPrettyObject(String first, long start) throws IOException {
    StringBuilder sb = new StringBuilder(first).append('\n');
    BraceDepth depth = new BraceDepth();
    depth.feed(first);
    while (depth.depth > 0) {
      String line = in.readLine();
      if (line == null) {
        throw new ConfigException(
            file, "line " + start, "", "object starting here is not closed before end of file");
      }
      lineNumber++;
      depth.feed(line);
      sb.append(line).append('\n');
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
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        in = null;
      }
    }
    fileIndex = files.size();
  }
}
