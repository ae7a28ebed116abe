package dev.reverserepl.common.dlq;

import dev.reverserepl.common.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A dead-letter directory (local path or {@code gs://...}) of JSON-lines files, one {@link
 * DeadLetter} per line.
 *
 * <p>Every {@link #writeAll} call creates a new file ({@code deadletter-<UTC time>-<random>.jsonl})
 * and returns only once it is durable (local: fsync; GCS: object finalised on close). That is what
 * lets a writer advance its position past a change right after dead-lettering it: objects cannot be
 * appended to, and dead letters are rare, so one small file per call costs nothing that matters.
 */
public final class DeadLetterQueue implements Serializable {
  public static final String SUFFIX = ".jsonl";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String directory;

  public DeadLetterQueue(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("dead-letter directory must be set");
    }
    this.directory = stripSlash(directory);
  }

  public String directory() {
    return directory;
  }

  public void write(DeadLetter deadLetter) {
    writeAll(List.of(deadLetter));
  }

  public void writeAll(List<DeadLetter> deadLetters) {
    if (deadLetters.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (DeadLetter d : deadLetters) {
      sb.append(DeadLetterJson.toLine(d)).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    String name = "deadletter-" + STAMP.format(Instant.now()) + "-" + UUID.randomUUID() + SUFFIX;
    try {
      if (isLocal(directory)) {
        Path dir = localPath(directory);
        Files.createDirectories(dir);
        try (FileChannel ch =
            FileChannel.open(
                dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
      } else {
        ResourceId file = resource(directory + "/" + name);
        try (WritableByteChannel ch = FileSystems.create(file, "application/json")) {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letters to " + directory, e);
    }
  }

  /**
   * Every dead letter in {@code dir}, file by file in name (thus time) order; an absent directory
   * is empty.
   */
  public static List<DeadLetter> readAll(String dir) {
    return readFiles(files(dir));
  }

  /**
   * The dead-letter files directly in {@code dir} (the pending ones), in name order; none when it
   * is absent.
   */
  public static List<String> files(String dir) {
    String d = stripSlash(dir);
    try {
      if (isLocal(d)) {
        Path p = localPath(d);
        if (!Files.isDirectory(p)) {
          return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
          return s.filter(
                  f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
              .sorted()
              .map(Path::toString)
              .toList();
        }
      }
      resource(d + "/");
      MatchResult m = FileSystems.match(d + "/*" + SUFFIX);
      if (m.status() == MatchResult.Status.NOT_FOUND) {
        return List.of();
      }
      return m.metadata().stream().map(md -> md.resourceId().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list dead letters in " + dir, e);
    }
  }

  /** The dead letters of the given files, in the given order. */
  public static List<DeadLetter> readFiles(List<String> files) {
    List<DeadLetter> out = new ArrayList<>();
    for (String f : files) {
      try (BufferedReader r =
          isLocal(f)
              ? Files.newBufferedReader(localPath(f), StandardCharsets.UTF_8)
              : new BufferedReader(
                  new InputStreamReader(
                      Channels.newInputStream(FileSystems.open(resource(f))),
                      StandardCharsets.UTF_8))) {
        readLines(r, f, out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read dead letters from " + f, e);
      }
    }
    return out;
  }

  /**
   * Moves the given files into {@code targetDir} (created when missing), keeping their names: out
   * of the directory that counts as pending.
   */
  public static void moveAll(List<String> files, String targetDir) {
    String t = stripSlash(targetDir);
    try {
      for (String f : files) {
        if (isLocal(f)) {
          Path target = localPath(t);
          Files.createDirectories(target);
          Path src = localPath(f);
          Files.move(
              src, target.resolve(src.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
          ResourceId src = resource(f);
          FileSystems.rename(List.of(src), List.of(resource(t + "/" + src.getFilename())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move dead letters to " + targetDir, e);
    }
  }

  private static void readLines(BufferedReader r, String source, List<DeadLetter> out)
      throws IOException {
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      if (!line.isBlank()) {
        out.add(DeadLetterJson.fromLine(line, source, n));
      }
    }
  }

  /** The JSON line of one dead letter (no newline). */
  public static String toJsonLine(DeadLetter d) {
    return DeadLetterJson.toLine(d);
  }

  /** Parses one line; errors are {@link ConfigException}s naming {@code source} and the line. */
  public static DeadLetter fromJsonLine(String line, String source, int lineNumber) {
    return DeadLetterJson.fromLine(line, source, lineNumber);
  }

  private static boolean isLocal(String dir) {
    int colon = dir.indexOf("://");
    return colon < 0 || dir.startsWith("file://");
  }

  private static Path localPath(String dir) {
    return dir.startsWith("file://")
        ? Paths.get(dir.substring("file://".length()))
        : Paths.get(dir);
  }

  private static String stripSlash(String dir) {
    return dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
  }

  // Outside a pipeline (e.g. the reprocess command) Beam has only registered the local file system.
  private static ResourceId resource(String spec) {
    try {
      return FileSystems.matchNewResource(spec, spec.endsWith("/"));
    } catch (IllegalArgumentException e) {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
      return FileSystems.matchNewResource(spec, spec.endsWith("/"));
    }
  }
}
