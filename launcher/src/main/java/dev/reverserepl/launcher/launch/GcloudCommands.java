package dev.reverserepl.launcher.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the {@code gcloud dataflow flex-template run} command equivalent to a launch request, one
 * shell line per job, so an operator can review or re-run a launch without this tool.
 */
public final class GcloudCommands {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_=,./:@%+^~-]+");
  private static final String[] DELIMITERS = {",", "~", "|", "#", ";"};

  private GcloudCommands() {}

  public static String render(LaunchSettings s, JobSpec job) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "gcloud",
                "dataflow",
                "flex-template",
                "run",
                job.jobName(),
                "--project=" + s.projectId(),
                "--region=" + s.dataflowRegion(),
                "--template-file-gcs-location=" + job.templatePath(),
                "--num-workers=" + job.numWorkers(),
                "--max-workers=" + job.maxWorkers(),
                "--worker-machine-type=" + s.workers().machineType()));
    optional(args, "--network=", s.workers().network());
    optional(args, "--subnetwork=", s.workers().subnetwork());
    optional(args, "--service-account-email=", s.workers().serviceAccount());
    optional(args, "--temp-location=", s.locations().tempLocation());
    optional(args, "--staging-location=", s.locations().stagingLocation());
    args.add("--parameters=" + parameters(job.parameters()));
    return args.stream().map(GcloudCommands::quote).collect(Collectors.joining(" "));
  }

  /**
   * gcloud's dict syntax: {@code k=v,k=v}; when a value holds a comma, gcloud's {@code ^D^} prefix
   * switches to a delimiter D that no value contains.
   */
  static String parameters(Map<String, String> parameters) {
    for (String d : DELIMITERS) {
      boolean clash =
          parameters.entrySet().stream()
              .anyMatch(e -> e.getKey().contains(d) || e.getValue().contains(d));
      if (!clash) {
        String body =
            parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(d));
        return d.equals(",") ? body : "^" + d + "^" + body;
      }
    }
    throw new IllegalArgumentException(
        "parameter values contain every delimiter gcloud can use: " + parameters);
  }

  static String quote(String arg) {
    if (SHELL_SAFE.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private static void optional(List<String> args, String flag, String value) {
    if (value != null) {
      args.add(flag + value);
    }
  }
}
