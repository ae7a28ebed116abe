package dev.reverserepl.launcher.launch;

import dev.reverserepl.common.config.ConfigException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The validated arguments of {@code rr launch}: everything needed to plan, provision and submit,
 * with the seed's defaults already applied (metadata instance = instance, Pub/Sub endpoint =
 * regional endpoint of the Dataflow region, template locations under the project's bucket). Built
 * by {@link LaunchCommand#settings()}; tests build it directly.
 */
public record LaunchSettings(
    String projectId,
    String dataflowRegion,
    String jobNamePrefix,
    String changeStreamName,
    String instanceId,
    String dbName,
    String metadataInstance,
    String metadataDatabase,
    String startTimestamp,
    String pubSubDataTopicId,
    String pubSubEndpoint,
    String sourceShardsFilePath,
    String sessionFilePath,
    String machineType,
    int orderingWorkers,
    int writerWorkers,
    int orderingMaxWorkers,
    int writerMaxWorkers,
    String network,
    String subnetwork,
    String serviceAccount,
    String filtrationMode,
    String sinkType,
    String kafkaBootstrapServers,
    String kafkaTopic,
    String deadLetterQueueDirectory,
    String orderingTemplatePath,
    String writerTemplatePath,
    String tempLocation,
    String stagingLocation,
    String spannerEmulatorHost,
    String pubsubEmulatorHost) {

  static final String SOURCE = "rr launch";
  private static final Pattern JOB_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern ID = Pattern.compile("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}");

  /** Applies the seed's derived defaults and checks every field; errors name the argument. */
  public LaunchSettings {
    projectId = required(projectId, "projectId");
    dataflowRegion = required(dataflowRegion, "dataflowRegion");
    instanceId = required(instanceId, "instanceId");
    dbName = required(dbName, "dbName");
    sourceShardsFilePath = required(sourceShardsFilePath, "sourceShardsFilePath");
    sessionFilePath = required(sessionFilePath, "sessionFilePath");
    jobNamePrefix = blankToDefault(jobNamePrefix, "reverse-rep").toLowerCase(Locale.ROOT);
    if (!JOB_NAME.matcher(jobNamePrefix + "-ordering").matches()) {
      throw bad(
          "jobNamePrefix",
          "'"
              + jobNamePrefix
              + "' is not a valid Dataflow job name prefix "
              + "(letters, digits and dashes, starting with a letter)");
    }
    changeStreamName = blankToDefault(changeStreamName, "reverseReplicationStream");
    metadataInstance = blankToDefault(metadataInstance, instanceId);
    metadataDatabase = blankToDefault(metadataDatabase, "change-stream-metadata");
    startTimestamp = startTimestamp == null ? "" : startTimestamp.trim();
    if (!startTimestamp.isEmpty()) {
      try {
        OffsetDateTime.parse(startTimestamp);
      } catch (DateTimeParseException e) {
        throw bad(
            "startTimestamp",
            "'"
                + startTimestamp
                + "' is not an RFC 3339 timestamp "
                + "(e.g. 2024-05-01T10:00:00Z); leave it empty to start now");
      }
    }
    pubSubDataTopicId = blankToDefault(pubSubDataTopicId, "reverse-replication");
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
    pubSubEndpoint = blankToDefault(pubSubEndpoint, dataflowRegion + "-pubsub.googleapis.com:443");
    machineType = blankToDefault(machineType, "n2-standard-4");
    positive(orderingWorkers, "orderingWorkers");
    positive(writerWorkers, "writerWorkers");
    orderingMaxWorkers = orderingMaxWorkers <= 0 ? orderingWorkers : orderingMaxWorkers;
    writerMaxWorkers = writerMaxWorkers <= 0 ? writerWorkers : writerMaxWorkers;
    if (orderingMaxWorkers < orderingWorkers) {
      throw bad(
          "orderingMaxWorkers",
          orderingMaxWorkers + " is below orderingWorkers " + orderingWorkers);
    }
    if (writerMaxWorkers < writerWorkers) {
      throw bad("writerMaxWorkers", writerMaxWorkers + " is below writerWorkers " + writerWorkers);
    }
    filtrationMode =
        oneOf(
            blankToDefault(filtrationMode, "forward_migration"),
            "filtrationMode",
            "forward_migration",
            "none");
    sinkType = oneOf(blankToDefault(sinkType, "pubsub"), "sinkType", "pubsub", "kafka");
    if (sinkType.equals("kafka")) {
      required(kafkaBootstrapServers, "kafkaBootstrapServers");
      required(kafkaTopic, "kafkaTopic");
    }
    String bucket = "gs://" + projectId + "-reverse-replication";
    orderingTemplatePath =
        gcsPath(
            blankToDefault(orderingTemplatePath, bucket + "/templates/ordering.json"),
            "orderingTemplatePath");
    writerTemplatePath =
        gcsPath(
            blankToDefault(writerTemplatePath, bucket + "/templates/writer.json"),
            "writerTemplatePath");
    deadLetterQueueDirectory = blankToDefault(deadLetterQueueDirectory, bucket + "/dlq");
    network = emptyToNull(network);
    subnetwork = emptyToNull(subnetwork);
    serviceAccount = emptyToNull(serviceAccount);
    kafkaBootstrapServers = emptyToNull(kafkaBootstrapServers);
    kafkaTopic = emptyToNull(kafkaTopic);
    tempLocation = emptyToNull(tempLocation);
    stagingLocation = emptyToNull(stagingLocation);
    spannerEmulatorHost = emptyToNull(spannerEmulatorHost);
    pubsubEmulatorHost = emptyToNull(pubsubEmulatorHost);
  }

  /** Settings with only the arguments the seed requires; everything else takes its default. */
  public static LaunchSettings of(
      String projectId,
      String dataflowRegion,
      String instanceId,
      String dbName,
      String sourceShardsFilePath,
      String sessionFilePath) {
    return new LaunchSettings(
        projectId,
        dataflowRegion,
        null,
        null,
        instanceId,
        dbName,
        null,
        null,
        null,
        null,
        null,
        sourceShardsFilePath,
        sessionFilePath,
        null,
        5,
        5,
        0,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public String orderingJobName() {
    return jobNamePrefix + "-ordering";
  }

  public String writerJobName() {
    return jobNamePrefix + "-writer";
  }

  public boolean usesPubSub() {
    return sinkType.equals("pubsub");
  }

  public String databasePath() {
    return "projects/" + projectId + "/instances/" + instanceId + "/databases/" + dbName;
  }

  public String metadataDatabasePath() {
    return "projects/"
        + projectId
        + "/instances/"
        + metadataInstance
        + "/databases/"
        + metadataDatabase;
  }

  public String topicPath() {
    return "projects/" + projectId + "/topics/" + pubSubDataTopicId;
  }

  public String subscriptionPath(String logicalShardId) {
    return "projects/" + projectId + "/subscriptions/" + logicalShardId;
  }

  public LaunchSettings withSpannerEmulatorHost(String host) {
    return new LaunchSettings(
        projectId,
        dataflowRegion,
        jobNamePrefix,
        changeStreamName,
        instanceId,
        dbName,
        metadataInstance,
        metadataDatabase,
        startTimestamp,
        pubSubDataTopicId,
        pubSubEndpoint,
        sourceShardsFilePath,
        sessionFilePath,
        machineType,
        orderingWorkers,
        writerWorkers,
        orderingMaxWorkers,
        writerMaxWorkers,
        network,
        subnetwork,
        serviceAccount,
        filtrationMode,
        sinkType,
        kafkaBootstrapServers,
        kafkaTopic,
        deadLetterQueueDirectory,
        orderingTemplatePath,
        writerTemplatePath,
        tempLocation,
        stagingLocation,
        host,
        pubsubEmulatorHost);
  }

  public LaunchSettings withPubsubEmulatorHost(String host) {
    return new LaunchSettings(
        projectId,
        dataflowRegion,
        jobNamePrefix,
        changeStreamName,
        instanceId,
        dbName,
        metadataInstance,
        metadataDatabase,
        startTimestamp,
        pubSubDataTopicId,
        pubSubEndpoint,
        sourceShardsFilePath,
        sessionFilePath,
        machineType,
        orderingWorkers,
        writerWorkers,
        orderingMaxWorkers,
        writerMaxWorkers,
        network,
        subnetwork,
        serviceAccount,
        filtrationMode,
        sinkType,
        kafkaBootstrapServers,
        kafkaTopic,
        deadLetterQueueDirectory,
        orderingTemplatePath,
        writerTemplatePath,
        tempLocation,
        stagingLocation,
        spannerEmulatorHost,
        host);
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw bad(name, "is required");
    }
    return value.trim();
  }

  private static String blankToDefault(String value, String dflt) {
    return value == null || value.isBlank() ? dflt : value.trim();
  }

  private static String emptyToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw bad(name, "must be at least 1, got " + value);
    }
  }

  private static String oneOf(String value, String name, String... allowed) {
    for (String a : allowed) {
      if (a.equalsIgnoreCase(value)) {
        return a;
      }
    }
    throw bad(name, "'" + value + "' is not one of " + String.join(", ", allowed));
  }

  private static String gcsPath(String value, String name) {
    if (!value.startsWith("gs://")) {
      throw bad(name, "must be a gs:// location of a Flex Template spec, got '" + value + "'");
    }
    return value;
  }

  private static ConfigException bad(String field, String problem) {
    return new ConfigException(SOURCE, "", field, problem);
  }
}
