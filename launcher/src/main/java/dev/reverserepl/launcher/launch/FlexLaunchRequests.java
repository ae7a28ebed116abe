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
    FlexTemplateRuntimeEnvironment env =
        new FlexTemplateRuntimeEnvironment()
            .setNumWorkers(job.numWorkers())
            .setMaxWorkers(job.maxWorkers())
            .setMachineType(s.machineType());
    if (s.network() != null) {
      env.setNetwork(s.network());
    }
    if (s.subnetwork() != null) {
      env.setSubnetwork(s.subnetwork());
    }
    if (s.serviceAccount() != null) {
      env.setServiceAccountEmail(s.serviceAccount());
    }
    if (s.tempLocation() != null) {
      env.setTempLocation(s.tempLocation());
    }
    if (s.stagingLocation() != null) {
      env.setStagingLocation(s.stagingLocation());
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
