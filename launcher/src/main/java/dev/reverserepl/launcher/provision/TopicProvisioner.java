package dev.reverserepl.launcher.provision;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.TopicName;
import java.util.List;

/** Ensures the topic the ordering job publishes to exists. */
public final class TopicProvisioner {
  private final TopicAdminClient topics;

  public TopicProvisioner(TopicAdminClient topics) {
    this.topics = topics;
  }

  public ProvisionResult ensure(String project, String topicId) {
    TopicName name = TopicName.of(project, topicId);
    String resource = Resources.topic(name.toString());
    try {
      topics.getTopic(name);
      return ProvisionResult.exists(resource, List.of());
    } catch (NotFoundException e) {
      try {
        topics.createTopic(name);
        return ProvisionResult.created(resource);
      } catch (AlreadyExistsException raced) {
        return ProvisionResult.exists(resource, List.of());
      }
    }
  }
}
