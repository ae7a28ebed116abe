package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.bad;
import static dev.reverserepl.launcher.launch.LaunchArgs.blankToDefault;
import static dev.reverserepl.launcher.launch.LaunchArgs.emptyToNull;
import static dev.reverserepl.launcher.launch.LaunchArgs.required;

import dev.reverserepl.common.config.WireNamed;
import dev.reverserepl.common.config.WireNames;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.writer.options.BufferType;
import java.util.Objects;

/**
 * The validated arguments of {@code rr launch}: everything needed to plan, provision and submit,
 * grouped by concern, with the seed's defaults already applied (metadata instance = instance,
 * Pub/Sub endpoint = regional endpoint of the Dataflow region, template locations under the
 * project's bucket). Built by {@link LaunchCommand#settings()} through {@link Builder}, the one
 * place where defaults are applied; tests build it the same way.
 */
public record LaunchSettings(
    Placement placement,
    SpannerSource spanner,
    BufferSettings buffer,
    Locations locations,
    Workers workers,
    Emulators emulators) {

  public LaunchSettings {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(spanner, "spanner");
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(locations, "locations");
    Objects.requireNonNull(workers, "workers");
    Objects.requireNonNull(emulators, "emulators");
  }

  /** Settings with only the arguments the seed requires; everything else takes its default. */
  public static LaunchSettings of(
      String projectId,
      String dataflowRegion,
      String instanceId,
      String dbName,
      String sourceShardsFilePath,
      String sessionFilePath) {
    return builder()
        .projectId(projectId)
        .dataflowRegion(dataflowRegion)
        .instanceId(instanceId)
        .dbName(dbName)
        .sourceShardsFilePath(sourceShardsFilePath)
        .sessionFilePath(sessionFilePath)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String projectId() {
    return placement.projectId();
  }

  public String dataflowRegion() {
    return placement.dataflowRegion();
  }

  public String databasePath() {
    return spanner.databasePath(projectId());
  }

  public String metadataDatabasePath() {
    return spanner.metadataDatabasePath(projectId());
  }

  public String topicPath() {
    return "projects/" + projectId() + "/topics/" + buffer.pubSubDataTopicId();
  }

  public String subscriptionPath(String logicalShardId) {
    return "projects/" + projectId() + "/subscriptions/" + logicalShardId;
  }

  public LaunchSettings withEmulators(Emulators e) {
    return new LaunchSettings(placement, spanner, buffer, locations, workers, e);
  }

  /**
   * The raw arguments, named as on the command line; null, blank and (for the worker counts) 0 take
   * the default. {@link #build} checks them and applies the defaults.
   */
  public static final class Builder {
    private String projectId;
    private String dataflowRegion;
    private String jobNamePrefix;
    private String changeStreamName;
    private String instanceId;
    private String dbName;
    private String metadataInstance;
    private String metadataDatabase;
    private String startTimestamp;
    private String filtrationMode;
    private String sinkType;
    private String pubSubDataTopicId;
    private String pubSubEndpoint;
    private String kafkaBootstrapServers;
    private String kafkaTopic;
    private String sourceShardsFilePath;
    private String sessionFilePath;
    private String deadLetterQueueDirectory;
    private String orderingTemplatePath;
    private String writerTemplatePath;
    private String tempLocation;
    private String stagingLocation;
    private String machineType;
    private int orderingWorkers = Integer.parseInt(LaunchDefaults.WORKERS);
    private int writerWorkers = Integer.parseInt(LaunchDefaults.WORKERS);
    private int orderingMaxWorkers;
    private int writerMaxWorkers;
    private String network;
    private String subnetwork;
    private String serviceAccount;
    private String spannerEmulatorHost;
    private String pubsubEmulatorHost;

    private Builder() {}

    /** Applies the defaults and checks every argument; errors name the argument. */
    public LaunchSettings build() {
      for (String[] r :
          new String[][] {
            {projectId, "projectId"},
            {dataflowRegion, "dataflowRegion"},
            {instanceId, "instanceId"},
            {dbName, "dbName"},
            {sourceShardsFilePath, "sourceShardsFilePath"},
            {sessionFilePath, "sessionFilePath"}
          }) {
        required(r[0], r[1]);
      }
      Placement placement =
          new Placement(
              projectId.trim(),
              dataflowRegion.trim(),
              blankToDefault(jobNamePrefix, LaunchDefaults.JOB_NAME_PREFIX));
      SpannerSource spanner = spanner();
      BufferSettings buffer = buffer(placement.dataflowRegion());
      Workers workers =
          new Workers(
              blankToDefault(machineType, LaunchDefaults.MACHINE_TYPE),
              WorkerPool.of("ordering", orderingWorkers, orderingMaxWorkers),
              WorkerPool.of("writer", writerWorkers, writerMaxWorkers),
              emptyToNull(network),
              emptyToNull(subnetwork),
              emptyToNull(serviceAccount));
      return new LaunchSettings(
          placement,
          spanner,
          buffer,
          locations(placement.projectId()),
          workers,
          new Emulators(emptyToNull(spannerEmulatorHost), emptyToNull(pubsubEmulatorHost)));
    }

    private SpannerSource spanner() {
      String instance = instanceId.trim();
      return new SpannerSource(
          instance,
          dbName.trim(),
          blankToDefault(changeStreamName, LaunchDefaults.CHANGE_STREAM_NAME),
          blankToDefault(metadataInstance, instance),
          blankToDefault(metadataDatabase, LaunchDefaults.METADATA_DATABASE),
          startTimestamp,
          oneOf(
              FiltrationMode.class,
              blankToDefault(filtrationMode, LaunchDefaults.FILTRATION_MODE),
              "filtrationMode"));
    }

    private BufferSettings buffer(String region) {
      return new BufferSettings(
          oneOf(BufferType.class, blankToDefault(sinkType, LaunchDefaults.SINK_TYPE), "sinkType"),
          blankToDefault(pubSubDataTopicId, LaunchDefaults.PUBSUB_TOPIC_ID),
          blankToDefault(pubSubEndpoint, LaunchDefaults.pubSubEndpoint(region)),
          emptyToNull(kafkaBootstrapServers),
          emptyToNull(kafkaTopic));
    }

    private Locations locations(String project) {
      return new Locations(
          sourceShardsFilePath.trim(),
          sessionFilePath.trim(),
          blankToDefault(
              deadLetterQueueDirectory, LaunchDefaults.deadLetterQueueDirectory(project)),
          blankToDefault(orderingTemplatePath, LaunchDefaults.orderingTemplatePath(project)),
          blankToDefault(writerTemplatePath, LaunchDefaults.writerTemplatePath(project)),
          emptyToNull(tempLocation),
          emptyToNull(stagingLocation));
    }

    /** The launcher takes a mode in any case and passes on its exact spelling. */
    private static <E extends Enum<E> & WireNamed> E oneOf(
        Class<E> type, String value, String name) {
      return WireNames.findIgnoringCase(type, value)
          .orElseThrow(
              () ->
                  bad(
                      name,
                      "'" + value + "' is not one of " + String.join(", ", WireNames.names(type))));
    }

    public Builder projectId(String v) {
      projectId = v;
      return this;
    }

    public Builder dataflowRegion(String v) {
      dataflowRegion = v;
      return this;
    }

    public Builder jobNamePrefix(String v) {
      jobNamePrefix = v;
      return this;
    }

    public Builder changeStreamName(String v) {
      changeStreamName = v;
      return this;
    }

    public Builder instanceId(String v) {
      instanceId = v;
      return this;
    }

    public Builder dbName(String v) {
      dbName = v;
      return this;
    }

    public Builder metadataInstance(String v) {
      metadataInstance = v;
      return this;
    }

    public Builder metadataDatabase(String v) {
      metadataDatabase = v;
      return this;
    }

    public Builder startTimestamp(String v) {
      startTimestamp = v;
      return this;
    }

    public Builder filtrationMode(String v) {
      filtrationMode = v;
      return this;
    }

    public Builder sinkType(String v) {
      sinkType = v;
      return this;
    }

    public Builder pubSubDataTopicId(String v) {
      pubSubDataTopicId = v;
      return this;
    }

    public Builder pubSubEndpoint(String v) {
      pubSubEndpoint = v;
      return this;
    }

    public Builder kafkaBootstrapServers(String v) {
      kafkaBootstrapServers = v;
      return this;
    }

    public Builder kafkaTopic(String v) {
      kafkaTopic = v;
      return this;
    }

    public Builder sourceShardsFilePath(String v) {
      sourceShardsFilePath = v;
      return this;
    }

    public Builder sessionFilePath(String v) {
      sessionFilePath = v;
      return this;
    }

    public Builder deadLetterQueueDirectory(String v) {
      deadLetterQueueDirectory = v;
      return this;
    }

    public Builder orderingTemplatePath(String v) {
      orderingTemplatePath = v;
      return this;
    }

    public Builder writerTemplatePath(String v) {
      writerTemplatePath = v;
      return this;
    }

    public Builder tempLocation(String v) {
      tempLocation = v;
      return this;
    }

    public Builder stagingLocation(String v) {
      stagingLocation = v;
      return this;
    }

    public Builder machineType(String v) {
      machineType = v;
      return this;
    }

    public Builder orderingWorkers(int v) {
      orderingWorkers = v;
      return this;
    }

    public Builder writerWorkers(int v) {
      writerWorkers = v;
      return this;
    }

    public Builder orderingMaxWorkers(int v) {
      orderingMaxWorkers = v;
      return this;
    }

    public Builder writerMaxWorkers(int v) {
      writerMaxWorkers = v;
      return this;
    }

    public Builder network(String v) {
      network = v;
      return this;
    }

    public Builder subnetwork(String v) {
      subnetwork = v;
      return this;
    }

    public Builder serviceAccount(String v) {
      serviceAccount = v;
      return this;
    }

    public Builder spannerEmulatorHost(String v) {
      spannerEmulatorHost = v;
      return this;
    }

    public Builder pubsubEmulatorHost(String v) {
      pubsubEmulatorHost = v;
      return this;
    }
  }
}
