package dev.reverserepl.launcher.launch;

import dev.reverserepl.launcher.provision.ChangeStreamProvisioner;
import dev.reverserepl.launcher.provision.Resources;
import dev.reverserepl.launcher.provision.SubscriptionProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The gcloud commands that create, by hand, what a launch provisions, in the order the launch needs
 * them, so an operator can review the launch or reproduce it without this tool. Rules:
 *
 * <ol>
 *   <li>G1: in order — the change stream (the same DDL the provisioner runs), the metadata
 *       database, the topic, one subscription per shard (same topic, filter, message ordering and
 *       ack deadline as the provisioner), each bucket the jobs use, then the two {@code
 *       flex-template run} commands ({@link GcloudCommands}).
 *   <li>G2: with a Kafka buffer there is no Pub/Sub command; when the shards file was not read (a
 *       {@code gs://} file in a dry run) one subscription command with {@code <logicalShardId>}
 *       stands for each shard.
 *   <li>G3: buckets are those of the dead-letter directory, the template files and the temp and
 *       staging locations, each once, created in the launch region.
 * </ol>
 */
public final class ProvisionCommands {
  private ProvisionCommands() {}

  /** Rules G1–G3. */
  public static List<String> render(LaunchSettings s, Optional<LaunchInputs> inputs) {
    SpannerSource spanner = s.spanner();
    List<String> out = new ArrayList<>();
    out.add(
        line(
            "gcloud",
            "spanner",
            "databases",
            "ddl",
            "update",
            spanner.dbName(),
            "--project=" + s.projectId(),
            "--instance=" + spanner.instanceId(),
            "--ddl=" + ChangeStreamProvisioner.createDdl(spanner.changeStreamName())));
    out.add(
        line(
            "gcloud",
            "spanner",
            "databases",
            "create",
            spanner.metadataDatabase(),
            "--project=" + s.projectId(),
            "--instance=" + spanner.metadataInstance()));
    switch (s.buffer().type()) {
      case PUBSUB -> out.addAll(pubSub(s, inputs));
      case KAFKA -> {} // rule G2: the Kafka topic is the operator's
    }
    for (String bucket : s.locations().buckets()) {
      out.add(
          line(
              "gcloud",
              "storage",
              "buckets",
              "create",
              bucket,
              "--project=" + s.projectId(),
              "--location=" + s.dataflowRegion()));
    }
    for (JobSpec job : JobSpec.both(s)) {
      out.add(GcloudCommands.render(s, job));
    }
    return out;
  }

  /** The topic, then one subscription per shard (rule G2: one placeholder when not read). */
  private static List<String> pubSub(LaunchSettings s, Optional<LaunchInputs> inputs) {
    String topic = s.buffer().pubSubDataTopicId();
    List<String> out = new ArrayList<>();
    out.add(line("gcloud", "pubsub", "topics", "create", topic, "--project=" + s.projectId()));
    List<String> shards = inputs.map(LaunchInputs::shardIds).orElse(List.of("<logicalShardId>"));
    for (String id : shards) {
      out.add(
          line(
              "gcloud",
              "pubsub",
              "subscriptions",
              "create",
              id,
              "--project=" + s.projectId(),
              "--topic=" + topic,
              "--message-filter=" + Resources.shardFilter(id),
              "--enable-message-ordering",
              "--ack-deadline=" + SubscriptionProvisioner.ACK_DEADLINE_SECONDS));
    }
    return out;
  }

  private static String line(String... args) {
    return java.util.Arrays.stream(args)
        .map(GcloudCommands::quote)
        .collect(Collectors.joining(" "));
  }
}
