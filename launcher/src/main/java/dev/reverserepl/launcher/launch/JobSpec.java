package dev.reverserepl.launcher.launch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Dataflow job to launch from a Flex Template: the part of a launch that differs between the
 * two jobs.
 */
public record JobSpec(
    String jobName,
    String templatePath,
    int numWorkers,
    int maxWorkers,
    Map<String, String> parameters) {

  public JobSpec {
    // keeps the caller's order: parameters are printed in it
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The ordering job, then the writer job: the order they are submitted in. */
  public static List<JobSpec> both(LaunchSettings s) {
    return List.of(ordering(s), writer(s));
  }

  public static JobSpec ordering(LaunchSettings s) {
    return new JobSpec(
        s.placement().orderingJobName(),
        s.locations().orderingTemplatePath(),
        s.workers().ordering().workers(),
        s.workers().ordering().maxWorkers(),
        JobParameters.ordering(s));
  }

  public static JobSpec writer(LaunchSettings s) {
    return new JobSpec(
        s.placement().writerJobName(),
        s.locations().writerTemplatePath(),
        s.workers().writer().workers(),
        s.workers().writer().maxWorkers(),
        JobParameters.writer(s));
  }
}
