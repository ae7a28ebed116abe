package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.bad;
import static dev.reverserepl.launcher.launch.LaunchArgs.required;

import dev.reverserepl.writer.options.BufferType;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The buffer between the jobs: a Pub/Sub topic (with one subscription per shard) or a Kafka topic.
 *
 * @param pubSubDataTopicId the id only, without {@code projects/<project>/topics/}
 * @param kafkaBootstrapServers required with Kafka; null when not given
 * @param kafkaTopic required with Kafka; null when not given
 */
public record BufferSettings(
    BufferType type,
    String pubSubDataTopicId,
    String pubSubEndpoint,
    String kafkaBootstrapServers,
    String kafkaTopic) {
  private static final Pattern ID = Pattern.compile("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}");

  public BufferSettings {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(pubSubEndpoint, "pubSubEndpoint");
    if (pubSubDataTopicId.startsWith("projects/")) {
      throw bad(
          "pubSubDataTopicId",
          "give the topic id only, without the 'projects/<project>/topics/' prefix: '"
              + pubSubDataTopicId
              + "'");
    }
    if (!ID.matcher(pubSubDataTopicId).matches() || pubSubDataTopicId.startsWith("goog")) {
      throw bad("pubSubDataTopicId", "'" + pubSubDataTopicId + "' is not a valid Pub/Sub topic id");
    }
    if (type == BufferType.KAFKA) {
      kafkaBootstrapServers = required(kafkaBootstrapServers, "kafkaBootstrapServers");
      kafkaTopic = required(kafkaTopic, "kafkaTopic");
    }
  }

  public boolean usesPubSub() {
    return type == BufferType.PUBSUB;
  }
}
