package dev.reverserepl.launcher.launch;

import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;

/** Submits one Flex Template launch and returns the Dataflow job id. */
@FunctionalInterface
public interface JobSubmitter {
  String submit(String projectId, String region, LaunchFlexTemplateRequest request);
}
