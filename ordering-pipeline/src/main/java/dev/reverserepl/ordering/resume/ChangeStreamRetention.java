package dev.reverserepl.ordering.resume;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.spanner.Statement;
import dev.reverserepl.ordering.route.SpannerCoordinates;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the change stream keeps its records: its {@code retention_period} option from {@code
 * INFORMATION_SCHEMA.CHANGE_STREAM_OPTIONS}; without the option, one day (the shortest default
 * Spanner has used, so a resume point is never wrongly accepted).
 */
public final class ChangeStreamRetention {
  public static final Duration DEFAULT = Duration.ofDays(1);
  private static final Pattern SPAN = Pattern.compile("\\s*(\\d+)\\s*([dhms])\\s*");

  private ChangeStreamRetention() {}

  public static Duration read(SpannerCoordinates where, String changeStreamName) {
    SpannerOptions.Builder b = SpannerOptions.newBuilder().setProjectId(where.projectId());
    if (where.emulatorHost() != null) {
      b.setEmulatorHost(where.emulatorHost()).setCredentials(NoCredentials.getInstance());
    }
    try (Spanner spanner = b.build().getService()) {
      DatabaseClient client =
          spanner.getDatabaseClient(
              DatabaseId.of(where.projectId(), where.instanceId(), where.databaseId()));
      Statement q =
          Statement.newBuilder(
                  "SELECT OPTION_VALUE FROM INFORMATION_SCHEMA.CHANGE_STREAM_OPTIONS"
                      + " WHERE CHANGE_STREAM_NAME = @name AND OPTION_NAME = 'retention_period'")
              .bind("name")
              .to(changeStreamName)
              .build();
      try (ResultSet rs = client.singleUse().executeQuery(q)) {
        return rs.next() && !rs.isNull(0) ? parse(rs.getString(0)).orElse(DEFAULT) : DEFAULT;
      }
    }
  }

  /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 3600s}; empty when the text is none of these. */
  public static Optional<Duration> parse(String value) {
    Matcher m = SPAN.matcher(value == null ? "" : value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        });
  }
}
