package dev.reverserepl.launcher.launch;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.launcher.preflight.PreflightException;
import dev.reverserepl.launcher.provision.GcpClients;
import dev.reverserepl.launcher.provision.ProvisionException;
import dev.reverserepl.launcher.provision.Provisioner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rr launch}: the seed's launcher. Checks the inputs, provisions the change stream, metadata
 * database, topic and per-shard subscriptions (keeping what exists), then submits the ordering and
 * writer jobs as Flex Template launches and prints the equivalent gcloud commands. Every seed
 * argument keeps its name and default and is accepted as {@code -name=value} and {@code
 * --name=value}.
 */
@Command(
    name = "launch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
      "Provision the change stream, metadata database, Pub/Sub topic and one subscription per shard "
          + "(existing ones are kept), then launch the ordering and writer Dataflow jobs from their Flex Templates.",
      ""
    },
    footer = {
      "",
      "Exit status: 0 done, 1 a check, provisioning step or launch failed, 2 bad arguments."
    })
public class LaunchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LaunchOptions options;

  @Option(
      names = {"--dry-run", "-dryRun", "--dryRun"},
      description =
          "Print the checks, the plan and both gcloud commands; contact and create nothing.")
  boolean dryRun;

  @Option(
      names = {"--check-shards", "-checkShards", "--checkShards"},
      description =
          "Before provisioning, connect to every shard: writable (@@read_only = 0), session tables "
              + "present, the user may write them.")
  boolean checkShards;

  @Option(
      names = {"--provision-only", "-provisionOnly", "--provisionOnly"},
      description = "Provision and print the gcloud commands, but do not launch the jobs.")
  boolean provisionOnly;

  @Option(
      names = {"-spannerEmulatorHost", "--spannerEmulatorHost"},
      paramLabel = "<host:port>",
      description = "Provision against a Spanner emulator (tests).")
  String spannerEmulatorHost;

  @Option(
      names = {"-pubsubEmulatorHost", "--pubsubEmulatorHost"},
      paramLabel = "<host:port>",
      description = "Provision against a Pub/Sub emulator (tests).")
  String pubsubEmulatorHost;

  private JobSubmitter submitter = new DataflowJobSubmitter();

  /** Replaces the Dataflow client, e.g. to record launches in tests. */
  public LaunchCommand withSubmitter(JobSubmitter submitter) {
    this.submitter = submitter;
    return this;
  }

  /** The arguments as validated settings; {@link ConfigException} names the bad argument. */
  public LaunchSettings settings() {
    return options
        .builder()
        .spannerEmulatorHost(spannerEmulatorHost)
        .pubsubEmulatorHost(pubsubEmulatorHost)
        .build();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      LaunchSettings s = settings();
      List<String> preflight = new ArrayList<>();
      Optional<LaunchInputs> inputs = LaunchPreflight.run(s, dryRun, checkShards, preflight::add);
      if (dryRun) {
        out.println("dry run: nothing below is contacted or created");
      }
      LaunchPlan.render(s, inputs, preflight).forEach(out::println);
      out.flush();
      if (dryRun) {
        return 0;
      }
      provision(s, inputs.orElseThrow(), out);
      if (provisionOnly) {
        out.println(
            "provisioned; jobs not launched (--provision-only): run the gcloud commands above");
        return 0;
      }
      submit(s, out);
      return 0;
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (PreflightException | ProvisionException | LaunchException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static void provision(LaunchSettings s, LaunchInputs in, PrintWriter out) {
    out.println("provisioning:");
    boolean pubSub = s.buffer().usesPubSub();
    SpannerSource spanner = s.spanner();
    try (GcpClients clients =
        GcpClients.open(
            s.projectId(),
            s.emulators().spannerHost(),
            pubSub ? s.buffer().pubSubEndpoint() : null,
            pubSub ? s.emulators().pubsubHost() : null)) {
      new Provisioner(
              clients,
              line -> {
                out.println("  " + line);
                out.flush();
              })
          .provision(
              new Provisioner.Request(
                  s.projectId(),
                  spanner.instanceId(),
                  spanner.dbName(),
                  spanner.changeStreamName(),
                  spanner.metadataInstance(),
                  spanner.metadataDatabase(),
                  pubSub ? s.buffer().pubSubDataTopicId() : null,
                  in.shardIds(),
                  in.sessionTables()));
    }
  }

  private void submit(LaunchSettings s, PrintWriter out) {
    String launched = null;
    for (JobSpec job : JobSpec.both(s)) {
      try {
        String id =
            submitter.submit(s.projectId(), s.dataflowRegion(), FlexLaunchRequests.build(s, job));
        out.println(
            "launched "
                + job.jobName()
                + ": job id "
                + id
                + " (region "
                + s.dataflowRegion()
                + ")");
        out.flush();
        launched = job.jobName() + " (" + id + ")";
      } catch (RuntimeException e) {
        throw new LaunchException(
            "launch of "
                + job.jobName()
                + " failed: "
                + e.getMessage()
                + (launched == null
                    ? ""
                    : "; "
                        + launched
                        + " is already running — relaunch only the failed job "
                        + "with its gcloud command above"),
            e);
      }
    }
  }
}
