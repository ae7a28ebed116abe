package dev.reverserepl.launcher.launch;

import com.google.api.services.dataflow.model.FlexTemplateRuntimeEnvironment;
import com.google.api.services.dataflow.model.LaunchFlexTemplateParameter;
import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;
import java.util.LinkedHashMap;

/**
 * Builds the Dataflow {@code projects.locations.flexTemplates.launch} request body for one job.
 * Pure: no clients, no network, so the exact request is asserted by tests and printed by {@code
 * --dry-run}.
 */
public final class FlexLaunchRequests {
  private FlexLaunchRequests() {}

  public static LaunchFlexTemplateRequest build(LaunchSettings s, JobSpec job) {
    Workers w = s.workers();
    FlexTemplateRuntimeEnvironment env =
        new FlexTemplateRuntimeEnvironment()
            .setNumWorkers(job.numWorkers())
            .setMaxWorkers(job.maxWorkers())
            .setMachineType(w.machineType());
    if (w.network() != null) {
      env.setNetwork(w.network());
    }
    if (w.subnetwork() != null) {
      env.setSubnetwork(w.subnetwork());
    }
    if (w.serviceAccount() != null) {
      env.setServiceAccountEmail(w.serviceAccount());
    }
    if (s.locations().tempLocation() != null) {
      env.setTempLocation(s.locations().tempLocation());
    }
    if (s.locations().stagingLocation() != null) {
      env.setStagingLocation(s.locations().stagingLocation());
    }
    LaunchFlexTemplateParameter parameter =
        new LaunchFlexTemplateParameter()
            .setJobName(job.jobName())
            .setContainerSpecGcsPath(job.templatePath())
            .setParameters(new LinkedHashMap<>(job.parameters()))
            .setEnvironment(env);
    return new LaunchFlexTemplateRequest().setLaunchParameter(parameter).setValidateOnly(false);
  }
}
