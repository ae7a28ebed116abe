package dev.reverserepl.launcher.verify;

import java.time.Instant;
import java.util.Optional;

/**
 * The Spanner database to verify against: {@code project/instance/database}, an optional read
 * timestamp (default: the time the verification starts; re-checks then read the newest data) and an
 * emulator host or null.
 */
public record SpannerTarget(
    String project,
    String instance,
    String database,
    Optional<Instant> readTimestamp,
    String emulatorHost) {

  /** Parses {@code project/instance/database}. */
  public static SpannerTarget parse(String spec, Optional<Instant> at, String emulatorHost) {
    String[] p = spec == null ? new String[0] : spec.split("/");
    if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
      throw new IllegalArgumentException("--spanner must be project/instance/database: " + spec);
    }
    return new SpannerTarget(p[0], p[1], p[2], at, emulatorHost);
  }

  @Override
  public String toString() {
    return "spanner://" + project + "/" + instance + "/" + database;
  }
}
