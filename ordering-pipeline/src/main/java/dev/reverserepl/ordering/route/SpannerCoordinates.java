package dev.reverserepl.ordering.route;

import java.io.Serializable;
import java.util.Objects;

/** The Spanner database changes come from; {@code emulatorHost} is null for Cloud Spanner. */
public record SpannerCoordinates(
    String projectId, String instanceId, String databaseId, String emulatorHost)
    implements Serializable {
  public SpannerCoordinates {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(databaseId, "databaseId");
  }

  @Override
  public String toString() {
    return "spanner://" + projectId + "/" + instanceId + "/" + databaseId;
  }
}
