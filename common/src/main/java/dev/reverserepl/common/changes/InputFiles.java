package dev.reverserepl.common.changes;

import dev.reverserepl.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Opens input files given as a local path or a URI of any Beam file system (gs://..., file://...).
 * Plain local paths are read directly so that tests and laptops need no Beam set-up; anything with
 * a scheme goes through Beam's {@link FileSystems} ({@code matchSingleFileSpec} + {@code open}),
 * which is what Dataflow workers have registered.
 */
public final class InputFiles {
  private InputFiles() {}

  /** True for {@code scheme://...} paths: they are read through Beam's file systems. */
  public static boolean hasScheme(String path) {
    int i = path.indexOf("://");
    return i > 0 && path.substring(0, i).matches("[A-Za-z][A-Za-z0-9+.-]*");
  }

  /** True for paths that are not on the local disk (a scheme other than {@code file}). */
  public static boolean isRemote(String path) {
    return hasScheme(path) && !path.startsWith("file://");
  }

  private static String local(String path) {
    return path.startsWith("file://") ? path.substring("file://".length()) : path;
  }

  private static List<String> matchFiles(String spec) throws IOException {
    List<String> out = new ArrayList<>();
    MatchResult r = FileSystems.match(List.of(spec), EmptyMatchTreatment.ALLOW).get(0);
    if (r.status() != MatchResult.Status.OK) {
      return out;
    }
    for (MatchResult.Metadata m : r.metadata()) {
      String name = m.resourceId().getFilename();
      if (name != null
          && !name.isEmpty()
          && !name.startsWith(".")
          && !m.resourceId().isDirectory()
          && !isLocalDirectory(m.resourceId().toString())) {
        out.add(m.resourceId().toString());
      }
    }
    out.sort(null);
    return out;
  }

  private static boolean isLocalDirectory(String resource) {
    return resource.startsWith("file:")
        ? Files.isDirectory(Path.of(java.net.URI.create(resource)))
        : resource.startsWith("/") && Files.isDirectory(Path.of(resource));
  }

  /**
   * Reads a whole file as UTF-8; a missing or unreadable file is a {@link ConfigException} naming
   * it.
   */
  public static String readString(String path) {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(path, "", "", "cannot read file: " + e.getMessage(), e);
    }
  }

  /** Opens one file for reading. */
  public static InputStream open(String path) throws IOException {
    if (hasScheme(path)) {
      MatchResult.Metadata m = FileSystems.matchSingleFileSpec(path);
      return Channels.newInputStream(FileSystems.open(m.resourceId()));
    }
    return Files.newInputStream(Path.of(local(path)));
  }

  /**
   * The files a path names: the file itself, or every regular, non-hidden file directly inside a
   * directory, sorted by name. For remote paths a trailing {@code /} or a glob lists the matching
   * objects.
   */
  public static List<String> list(String path) {
    try {
      if (hasScheme(path)) {
        List<String> out = matchFiles(path.endsWith("/") ? path + "*" : path);
        if (out.isEmpty() && !path.endsWith("/") && !path.contains("*")) {
          // A directory (or GCS prefix) named without its trailing slash.
          out = matchFiles(path + "/*");
        }
        if (out.isEmpty()) {
          throw new ConfigException(path, "", "", "no files match");
        }
        return out;
      }
      Path p = Path.of(local(path));
      if (!Files.exists(p)) {
        throw new ConfigException(path, "", "", "no such file or directory");
      }
      if (!Files.isDirectory(p)) {
        return List.of(p.toString());
      }
      try (Stream<Path> s = Files.list(p)) {
        return s.filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().startsWith("."))
            .map(Path::toString)
            .sorted()
            .toList();
      }
    } catch (IOException e) {
      throw new ConfigException(path, "", "", "cannot list: " + e.getMessage(), e);
    }
  }
}
