package dev.reverserepl.common.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Test fixtures. {@link #repo} are the repository's own ({@code fixtures/} at the repository root,
 * found walking up from the working directory): session files, MySQL schemas and change records
 * written for these tests, so a fresh clone needs nothing beside it. {@link #external()} is an
 * optional extra conformance corpus in the same layout — the {@code RR_FIXTURES} system property or
 * environment variable, else a {@code shared/fixtures} directory above the working directory —
 * which tests check in addition when it is present. {@link #file} and {@link #dir} still name that
 * corpus for the tests written against it, and fail when it is absent.
 */
public final class Fixtures {
  private static final String REPO_MARKER = "FIXTURES.md";

  private Fixtures() {}

  /** The repository's {@code fixtures/} directory. */
  public static Path repoDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("fixtures");
      if (Files.isRegularFile(candidate.resolve(REPO_MARKER))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "fixtures/" + REPO_MARKER + " not found above " + Path.of("").toAbsolutePath());
  }

  /** A file of the repository's fixtures, e.g. {@code repo("shop-sharded/session.json")}. */
  public static Path repo(String relative) {
    Path p = repoDir().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("no fixture " + p);
    }
    return p;
  }

  /** Every session file of the repository's fixtures, sorted. */
  public static List<Path> repoSessionFiles() {
    return sessionFiles(repoDir());
  }

  /** The external conformance corpus, when there is one. */
  public static Optional<Path> external() {
    String configured = System.getProperty("RR_FIXTURES", System.getenv("RR_FIXTURES"));
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The external corpus; fails when it is absent (tests not yet moved to {@link #repo}). */
  public static Path dir() {
    return external()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "shared/fixtures not found above "
                        + Path.of("").toAbsolutePath()
                        + "; set RR_FIXTURES"));
  }

  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** Every session file of the external corpus, sorted. */
  public static List<Path> sessionFiles() {
    return sessionFiles(dir());
  }

  /** Session files ({@code session*.json}) under {@code root}, sorted. */
  public static List<Path> sessionFiles(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(
              p ->
                  p.getFileName().toString().startsWith("session")
                      && p.toString().endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
