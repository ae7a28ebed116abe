package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.bad;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the jobs run and what they are called.
 *
 * @param projectId runs the jobs; also holds the Spanner instance and the topic
 * @param jobNamePrefix lower-cased; the jobs are {@code <prefix>-ordering} and {@code
 *     <prefix>-writer}
 */
public record Placement(String projectId, String dataflowRegion, String jobNamePrefix) {
  private static final Pattern JOB_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  public Placement {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(dataflowRegion, "dataflowRegion");
    jobNamePrefix = jobNamePrefix.toLowerCase(Locale.ROOT);
    if (!JOB_NAME.matcher(jobNamePrefix + "-ordering").matches()) {
      throw bad(
          "jobNamePrefix",
          "'"
              + jobNamePrefix
              + "' is not a valid Dataflow job name prefix "
              + "(letters, digits and dashes, starting with a letter)");
    }
  }

  public String orderingJobName() {
    return jobNamePrefix + "-ordering";
  }

  public String writerJobName() {
    return jobNamePrefix + "-writer";
  }
}
