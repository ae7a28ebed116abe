package dev.reverserepl.launcher.launch;

import dev.reverserepl.launcher.provision.Resources;
import dev.reverserepl.launcher.provision.SubscriptionProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ordered list of what a launch does: resources to provision (each skipped when it already
 * exists), then the two job submissions. Printed before a real launch and as the whole output of
 * {@code --dry-run}.
 */
public final class LaunchPlan {
  private LaunchPlan() {}

  /**
   * @param inputs the shard ids and session tables, or empty when the files were not read (gs:// in
   *     a dry run)
   */
  public static List<String> steps(LaunchSettings s, Optional<LaunchInputs> inputs) {
    List<String> steps = new ArrayList<>();
    steps.add(
        Resources.changeStream(s.spanner().changeStreamName(), s.databasePath())
            + " (FOR ALL, value_capture_type='NEW_ROW'; an existing stream must be NEW_ROW)");
    steps.add(Resources.metadataDatabase(s.metadataDatabasePath()));
    BufferSettings buffer = s.buffer();
    switch (buffer.type()) {
      case PUBSUB -> steps.addAll(pubSub(s, inputs));
      case KAFKA ->
          steps.add(
              "no Pub/Sub resources: sinkType="
                  + buffer.type().wireName()
                  + ", topic "
                  + buffer.kafkaTopic()
                  + " on "
                  + buffer.kafkaBootstrapServers()
                  + " must exist");
    }
    for (String bucket : s.locations().buckets()) {
      steps.add(
          "bucket "
              + bucket
              + " (must exist: templates/build.sh creates it and stages the templates there)");
    }
    for (JobSpec job : JobSpec.both(s)) {
      steps.add(
          "Dataflow job "
              + job.jobName()
              + " in "
              + s.dataflowRegion()
              + " from "
              + job.templatePath()
              + " ("
              + job.numWorkers()
              + " workers, max "
              + job.maxWorkers()
              + ", "
              + s.workers().machineType()
              + ")");
    }
    return steps;
  }

  /** The topic, then a subscription per shard, or one for all when the shards were not read. */
  private static List<String> pubSub(LaunchSettings s, Optional<LaunchInputs> inputs) {
    String topic = s.buffer().pubSubDataTopicId();
    String settings =
        "message ordering, ack deadline " + SubscriptionProvisioner.ACK_DEADLINE_SECONDS + " s";
    List<String> steps = new ArrayList<>();
    steps.add(Resources.topic(s.topicPath()));
    if (inputs.isPresent()) {
      for (String id : inputs.get().shardIds()) {
        steps.add(
            Resources.subscription(s.subscriptionPath(id))
                + " (topic "
                + topic
                + ", filter "
                + Resources.shardFilter(id)
                + ", "
                + settings
                + ")");
      }
    } else {
      steps.add(
          Resources.subscription(s.subscriptionPath("<logicalShardId>"))
              + " for each shard in "
              + s.locations().sourceShardsFilePath()
              + " (topic "
              + topic
              + ", filter "
              + Resources.shardFilter("<logicalShardId>")
              + ", "
              + settings
              + ")");
    }
    return steps;
  }

  public static List<String> render(
      LaunchSettings s, Optional<LaunchInputs> inputs, List<String> preflight) {
    List<String> lines = new ArrayList<>();
    lines.add("preflight:");
    preflight.forEach(p -> lines.add("  " + p));
    lines.add("plan (in order; existing resources are checked and kept):");
    List<String> steps = steps(s, inputs);
    for (int i = 0; i < steps.size(); i++) {
      lines.add("  " + (i + 1) + ". " + steps.get(i));
    }
    lines.add("equivalent gcloud commands (in order):");
    ProvisionCommands.render(s, inputs).forEach(c -> lines.add("  " + c));
    return lines;
  }
}
