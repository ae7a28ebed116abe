package dev.reverserepl.launcher.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Test fixtures. {@link #repo} are the repository's own ({@code fixtures/} at the repository root,
 * found walking up from the working directory), so a fresh clone needs nothing beside it. {@link
 * #external()} is the optional extra conformance corpus in the same layout: {@code RR_FIXTURES},
 * else a {@code shared/fixtures} above the working directory.
 */
public final class Fixtures {
  private Fixtures() {}

  /** A file or directory of the repository's fixtures, e.g. {@code repo("clock/session.json")}. */
  public static Path repo(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("fixtures/FIXTURES.md"))) {
        Path p = dir.resolve("fixtures").resolve(relative);
        if (!Files.exists(p)) {
          throw new IllegalStateException("no fixture " + p);
        }
        return p;
      }
    }
    throw new IllegalStateException(
        "fixtures/FIXTURES.md not found above " + Path.of("").toAbsolutePath());
  }

  /** The external conformance corpus, when there is one. */
  public static Optional<Path> external() {
    String configured = System.getProperty("RR_FIXTURES", System.getenv("RR_FIXTURES"));
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/fixtures");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
