package dev.reverserepl.launcher.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared fixtures: {@code RR_FIXTURES}, else a {@code shared/fixtures} beside some parent directory. */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    String configured = System.getProperty("RR_FIXTURES", System.getenv("RR_FIXTURES"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/fixtures not found above " + Path.of("").toAbsolutePath()
        + "; set RR_FIXTURES");
  }

  public static Path file(String relative) {
    return root().resolve(relative);
  }
}
