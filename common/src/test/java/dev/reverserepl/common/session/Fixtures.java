package dev.reverserepl.common.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates {@code shared/fixtures}: the {@code RR_FIXTURES} system property or environment variable, else the first
 * {@code shared/fixtures} found walking up from the working directory.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String configured = System.getProperty("RR_FIXTURES", System.getenv("RR_FIXTURES"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/fixtures not found above " + Path.of("").toAbsolutePath()
        + "; set RR_FIXTURES");
  }

  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** Every session file under the fixtures directory, sorted. */
  public static List<Path> sessionFiles() {
    try (Stream<Path> s = Files.walk(dir())) {
      return s.filter(p -> p.getFileName().toString().startsWith("session") && p.toString().endsWith(".json"))
          .sorted()
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
