package dev.reverserepl.templates.spec;

/**
 * Value patterns of template parameters, so a mistyped id, timestamp or endpoint is refused by the
 * Console and by {@code flex-template run} before a job starts. {@link #orEmpty} admits the empty
 * value an optional parameter defaults to.
 */
public final class Patterns {
  private Patterns() {}

  /** Spanner instance id: 2–64 characters, lower-case letter first, no trailing hyphen. */
  public static final String SPANNER_INSTANCE = "^[a-z][-a-z0-9]{0,62}[a-z0-9]$";

  /** Spanner database id: 2–30 characters, lower-case letter first. */
  public static final String SPANNER_DATABASE = "^[a-z][-_a-z0-9]{0,28}[a-z0-9]$";

  /** Google Cloud project id, optionally domain-scoped ({@code example.com:my-project}). */
  public static final String PROJECT = "^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$";

  /** Change stream name (a Spanner schema object name). */
  public static final String CHANGE_STREAM = "^[A-Za-z][A-Za-z0-9_]{0,127}$";

  /**
   * RFC 3339 timestamp with a zone: {@code 2024-05-01T10:00:00Z}, {@code
   * 2024-05-01T10:00:00.5+02:00}.
   */
  public static final String RFC3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  /** {@code host:port}, or a root URL such as {@code https://us-east1-pubsub.googleapis.com/}. */
  public static final String ENDPOINT = "^(https?://)?[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$";

  /** Kafka bootstrap servers: {@code host:port[,host:port...]}. */
  public static final String KAFKA_SERVERS =
      "^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$";

  /** Pub/Sub topic id (not the full resource name) and Kafka topic names. */
  public static final String TOPIC_ID = "^[A-Za-z][-A-Za-z0-9._~%+]{2,254}$";

  /** A Cloud Storage object or folder. */
  public static final String GCS = "^gs://[^/]+/.+$";

  /** A UTC offset such as {@code +00:00} or {@code -05:30}. */
  public static final String UTC_OFFSET = "^[+-][0-9]{2}:[0-9]{2}$";

  /** A fully qualified Java class name. */
  public static final String JAVA_CLASS =
      "^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*$";

  /** A MySQL table name. */
  public static final String MYSQL_TABLE = "^[A-Za-z0-9_$]{1,64}$";

  /** A subscription name prefix or suffix (may be empty). */
  public static final String NAME_PART = "^[-A-Za-z0-9._~%+]*$";

  /** {@code regex}, or the empty value. */
  public static String orEmpty(String regex) {
    return "^$|" + regex;
  }
}
