package dev.reverserepl.launcher.launch;

/**
 * The seed's defaults of {@code rr launch}, in one place: {@link LaunchOptions} shows them in the
 * help and {@link LaunchSettings.Builder} applies them to arguments left empty.
 */
public final class LaunchDefaults {
  public static final String JOB_NAME_PREFIX = "reverse-rep";
  public static final String CHANGE_STREAM_NAME = "reverseReplicationStream";
  public static final String METADATA_DATABASE = "change-stream-metadata";
  public static final String PUBSUB_TOPIC_ID = "reverse-replication";
  public static final String MACHINE_TYPE = "n2-standard-4";

  /** Workers of each job; a string because the help shows it. */
  public static final String WORKERS = "5";

  /** Spelled as the option takes it: {@code FiltrationMode.FORWARD_MIGRATION}. */
  public static final String FILTRATION_MODE = "forward_migration";

  /** Spelled as the option takes it: {@code BufferType.PUBSUB}. */
  public static final String SINK_TYPE = "pubsub";

  private LaunchDefaults() {}

  /** The bucket that holds the templates and dead letters unless told otherwise. */
  public static String bucket(String projectId) {
    return "gs://" + projectId + "-reverse-replication";
  }

  public static String pubSubEndpoint(String dataflowRegion) {
    return dataflowRegion + "-pubsub.googleapis.com:443";
  }

  public static String orderingTemplatePath(String projectId) {
    return bucket(projectId) + "/templates/ordering.json";
  }

  public static String writerTemplatePath(String projectId) {
    return bucket(projectId) + "/templates/writer.json";
  }

  public static String deadLetterQueueDirectory(String projectId) {
    return bucket(projectId) + "/dlq";
  }
}
