package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.bad;

import dev.reverserepl.ordering.filter.FiltrationMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The Spanner database replicated, its change stream and what the ordering job reads of it.
 *
 * @param metadataInstance instance of the change stream's metadata database
 * @param startTimestamp RFC 3339, or empty: the ordering job then starts from the shards' positions
 *     (now, on a first launch)
 */
public record SpannerSource(
    String instanceId,
    String dbName,
    String changeStreamName,
    String metadataInstance,
    String metadataDatabase,
    String startTimestamp,
    FiltrationMode filtrationMode) {

  public SpannerSource {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(dbName, "dbName");
    Objects.requireNonNull(changeStreamName, "changeStreamName");
    Objects.requireNonNull(metadataInstance, "metadataInstance");
    Objects.requireNonNull(metadataDatabase, "metadataDatabase");
    Objects.requireNonNull(filtrationMode, "filtrationMode");
    startTimestamp = startTimestamp == null ? "" : startTimestamp.trim();
    if (!startTimestamp.isEmpty()) {
      try {
        OffsetDateTime.parse(startTimestamp);
      } catch (DateTimeParseException e) {
        throw bad(
            "startTimestamp",
            "'"
                + startTimestamp
                + "' is not an RFC 3339 timestamp "
                + "(e.g. 2024-05-01T10:00:00Z); leave it empty to start now");
      }
    }
  }

  public String databasePath(String projectId) {
    return "projects/" + projectId + "/instances/" + instanceId + "/databases/" + dbName;
  }

  public String metadataDatabasePath(String projectId) {
    return "projects/"
        + projectId
        + "/instances/"
        + metadataInstance
        + "/databases/"
        + metadataDatabase;
  }
}
