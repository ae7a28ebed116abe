package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.gcsPath;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The files the jobs read and the Cloud Storage locations they use.
 *
 * @param sourceShardsFilePath gs:// or local
 * @param sessionFilePath gs:// or local
 * @param deadLetterQueueDirectory the writer's, also where the ordering job's routing dead letters
 *     go
 * @param tempLocation null for Dataflow's own
 * @param stagingLocation null for Dataflow's own
 */
public record Locations(
    String sourceShardsFilePath,
    String sessionFilePath,
    String deadLetterQueueDirectory,
    String orderingTemplatePath,
    String writerTemplatePath,
    String tempLocation,
    String stagingLocation) {

  public Locations {
    Objects.requireNonNull(sourceShardsFilePath, "sourceShardsFilePath");
    Objects.requireNonNull(sessionFilePath, "sessionFilePath");
    Objects.requireNonNull(deadLetterQueueDirectory, "deadLetterQueueDirectory");
    orderingTemplatePath = gcsPath(orderingTemplatePath, "orderingTemplatePath");
    writerTemplatePath = gcsPath(writerTemplatePath, "writerTemplatePath");
  }

  /**
   * Rule G3 of {@link ProvisionCommands}: {@code gs://bucket} of every Cloud Storage location the
   * jobs use, in first-use order.
   */
  public Set<String> buckets() {
    Set<String> out = new LinkedHashSet<>();
    for (String path :
        new String[] {
          deadLetterQueueDirectory,
          orderingTemplatePath,
          writerTemplatePath,
          tempLocation,
          stagingLocation
        }) {
      if (path != null && path.startsWith("gs://") && path.length() > 5) {
        int slash = path.indexOf('/', 5);
        out.add(slash < 0 ? path : path.substring(0, slash));
      }
    }
    return out;
  }
}
