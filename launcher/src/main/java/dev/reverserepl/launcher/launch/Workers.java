package dev.reverserepl.launcher.launch;

import java.util.Objects;

/**
 * The Dataflow workers of both jobs.
 *
 * @param network null for the project's default
 * @param subnetwork null for the network's default, e.g. {@code
 *     regions/<region>/subnetworks/<name>}
 * @param serviceAccount worker service account email; null for the default
 */
public record Workers(
    String machineType,
    WorkerPool ordering,
    WorkerPool writer,
    String network,
    String subnetwork,
    String serviceAccount) {

  public Workers {
    Objects.requireNonNull(machineType, "machineType");
    Objects.requireNonNull(ordering, "ordering");
    Objects.requireNonNull(writer, "writer");
  }
}
