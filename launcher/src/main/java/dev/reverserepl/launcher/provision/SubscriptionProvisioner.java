package dev.reverserepl.launcher.provision;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import java.util.ArrayList;
import java.util.List;

/**
 * Ensures one subscription per logical shard, named exactly the shard's {@code logicalShardId} (the
 * writer finds it by that name), receiving only that shard's messages, in order, with a long ack
 * deadline for batched applies, keeping acknowledged messages for seven days so that a new writer
 * can seek back to the shard's applied position.
 */
public final class SubscriptionProvisioner {
  public static final int ACK_DEADLINE_SECONDS = 600;

  /** Seven days, Pub/Sub's longest: how far back a writer restart can rewind. */
  public static final long RETENTION_SECONDS = 7 * 24 * 3600;

  private final SubscriptionAdminClient subscriptions;

  public SubscriptionProvisioner(SubscriptionAdminClient subscriptions) {
    this.subscriptions = subscriptions;
  }

  /** The subscription created for a shard. */
  public static Subscription desired(String project, String topicId, String logicalShardId) {
    return Subscription.newBuilder()
        .setName(SubscriptionName.of(project, logicalShardId).toString())
        .setTopic(TopicName.of(project, topicId).toString())
        .setEnableMessageOrdering(true)
        .setAckDeadlineSeconds(ACK_DEADLINE_SECONDS)
        .setFilter(Resources.shardFilter(logicalShardId))
        // A new writer seeks back to just before the shard's applied position; acknowledged
        // messages must still be
        // there (Dataflow acknowledges once a message is durable in the job, not once it is
        // applied).
        .setRetainAckedMessages(true)
        .setMessageRetentionDuration(
            com.google.protobuf.Duration.newBuilder().setSeconds(RETENTION_SECONDS))
        .build();
  }

  public ProvisionResult ensure(String project, String topicId, String logicalShardId) {
    Subscription want = desired(project, topicId, logicalShardId);
    String resource = Resources.subscription(want.getName());
    Subscription have;
    try {
      have = subscriptions.getSubscription(want.getName());
    } catch (NotFoundException e) {
      try {
        subscriptions.createSubscription(want);
        return ProvisionResult.created(resource);
      } catch (AlreadyExistsException raced) {
        have = subscriptions.getSubscription(want.getName());
      }
    }
    return judge(resource, want, have);
  }

  /**
   * Topic and filter cannot be changed on a subscription, so a difference there is fatal; the rest
   * is a warning.
   */
  static ProvisionResult judge(String resource, Subscription want, Subscription have) {
    if (!want.getTopic().equals(have.getTopic())) {
      return ProvisionResult.mismatch(
          resource,
          resource
              + " exists on topic "
              + have.getTopic()
              + " but the launch publishes to "
              + want.getTopic()
              + "; delete the subscription or pass the matching -pubSubDataTopicId");
    }
    if (!want.getFilter().equals(have.getFilter())) {
      return ProvisionResult.mismatch(
          resource,
          resource
              + " exists with filter "
              + (have.getFilter().isEmpty() ? "<none>" : "'" + have.getFilter() + "'")
              + " but needs '"
              + want.getFilter()
              + "' so that it receives only this shard's messages; delete the subscription");
    }
    List<String> warnings = new ArrayList<>();
    if (!have.getEnableMessageOrdering()) {
      warnings.add(
          resource
              + " has message ordering disabled: the writer re-sequences, but out-of-order "
              + "delivery makes it buffer more");
    }
    if (have.getAckDeadlineSeconds() != ACK_DEADLINE_SECONDS) {
      warnings.add(
          resource
              + " has an ack deadline of "
              + have.getAckDeadlineSeconds()
              + " s instead of "
              + ACK_DEADLINE_SECONDS
              + " s: slow batches may be redelivered");
    }
    if (!have.getRetainAckedMessages()) {
      warnings.add(
          resource
              + " does not retain acknowledged messages: a replaced writer cannot receive again what"
              + " the previous one read but did not apply; set retainAckedMessages");
    }
    return ProvisionResult.exists(resource, warnings);
  }
}
