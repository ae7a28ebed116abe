package dev.reverserepl.writer.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the writer pipeline. Paths may be local or {@code gs://}. */
public interface WriterOptions extends PipelineOptions {
  @Description(
      "Shards file: JSON list of the source MySQL shards (logicalShardId, host, port, user, password or"
          + " secretManagerUri, dbName, connectionProperties).")
  @Validation.Required
  String getSourceShardsFilePath();

  void setSourceShardsFilePath(String value);

  @Description(
      "Session file of the Spanner migration tool: how Spanner tables and columns map to the source.")
  @Validation.Required
  String getSessionFilePath();

  void setSessionFilePath(String value);

  @Description("Where the ordered envelopes are buffered: pubsub or kafka.")
  @Default.String("pubsub")
  String getBufferType();

  void setBufferType(String value);

  @Description("Project of the Pub/Sub subscriptions.")
  @Default.String("")
  String getPubSubProjectId();

  void setPubSubProjectId(String value);

  @Description(
      "Prefix of every shard's subscription name (the name is prefix + logicalShardId + suffix).")
  @Default.String("")
  String getSubscriptionPrefix();

  void setSubscriptionPrefix(String value);

  @Description("Suffix of every shard's subscription name.")
  @Default.String("")
  String getSubscriptionSuffix();

  void setSubscriptionSuffix(String value);

  @Description(
      "Pub/Sub endpoint (root URL), e.g. a regional endpoint or the emulator; empty = Google's default.")
  @Default.String("")
  String getPubSubEndpoint();

  void setPubSubEndpoint(String value);

  @Description("Kafka bootstrap servers (host:port,...).")
  @Default.String("")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description("Kafka topic holding the envelopes.")
  @Default.String("reverse-replication")
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description("Kafka consumer group of the writer.")
  @Default.String("rr-writer")
  String getKafkaConsumerGroup();

  void setKafkaConsumerGroup(String value);

  @Description(
      "Stop after this many Kafka records (0 = read forever). For bounded catch-up runs and tests.")
  @Default.Long(0)
  long getKafkaMaxRecords();

  void setKafkaMaxRecords(long value);

  @Description(
      "Time zone offset of the source database, applied to TIMESTAMP values, e.g. +00:00 or -05:30.")
  @Default.String("+00:00")
  String getSourceDbTimezoneOffset();

  void setSourceDbTimezoneOffset(String value);

  @Description(
      "Connections one shard may receive from the whole job; divided by maxWorkers per worker.")
  @Default.Integer(16)
  int getMaxShardConnections();

  void setMaxShardConnections(int value);

  @Description(
      "Worker count the connection budget is divided by (set it to the runner's maximum worker count).")
  @Default.Integer(1)
  int getMaxWorkers();

  void setMaxWorkers(int value);

  @Description(
      "Changes per MySQL transaction (cut at a source transaction boundary when possible).")
  @Default.Integer(1000)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Rows per multi-row INSERT ... ON DUPLICATE KEY UPDATE / DELETE statement.")
  @Default.Integer(500)
  int getMaxRowsPerStatement();

  void setMaxRowsPerStatement(int value);

  @Description("Name of the progress table created on every shard.")
  @Default.String("rr_applied_position")
  String getProgressTableName();

  void setProgressTableName(String value);

  @Description(
      "Dead-letter directory (local or gs://): one JSON line per change that could not be applied (required).")
  @Default.String("")
  String getDeadLetterQueueDirectory();

  void setDeadLetterQueueDirectory(String value);

  @Description(
      "Attempts of one batch on retryable errors (connection loss, deadlock, lock wait, too many"
          + " connections) before the bundle fails and the runner retries it.")
  @Default.Integer(20)
  int getMaxRetryAttempts();

  void setMaxRetryAttempts(int value);

  @Description("First backoff between attempts, milliseconds (doubles each attempt).")
  @Default.Long(100)
  long getInitialRetryBackoffMillis();

  void setInitialRetryBackoffMillis(long value);

  @Description("Longest backoff between attempts, milliseconds.")
  @Default.Long(10_000)
  long getMaxRetryBackoffMillis();

  void setMaxRetryBackoffMillis(long value);

  @Description("Longest total time one batch is retried, seconds.")
  @Default.Long(300)
  long getMaxRetryDurationSeconds();

  void setMaxRetryDurationSeconds(long value);

  @Description(
      "At start, rewind the buffer to just before the shards' applied positions (Pub/Sub: seek each shard's"
          + " subscription; Kafka: set the consumer group's offsets), so a new writer receives again what the previous one"
          + " read but did not apply. Set false for an update that keeps the job's state.")
  @Default.Boolean(true)
  Boolean getRewindBufferOnStart();

  void setRewindBufferOnStart(Boolean value);

  @Description(
      "Seconds the rewind goes back further than the shards' positions (clock skew between Spanner commit"
          + " times and the buffer's publish times).")
  @Default.Long(60)
  Long getRewindMarginSeconds();

  void setRewindMarginSeconds(Long value);

  @Description(
      "Changes one shard partition may hold while it waits for a missing sequence; envelopes beyond it are"
          + " dropped from the writer's state (never marked applied) and come back when re-published from the shard's"
          + " applied position.")
  @Default.Long(200_000)
  long getMaxBufferedChanges();

  void setMaxBufferedChanges(long value);

  @Description(
      "Most buffered changes released and applied at once when a gap fills; a longer backlog continues in"
          + " further runs of this size.")
  @Default.Integer(10_000)
  int getMaxReleaseChanges();

  void setMaxReleaseChanges(int value);

  @Description(
      "Seconds a shard partition may wait for a missing sequence before the wait is logged, counted and"
          + " recorded in its progress row (shown by rr status).")
  @Default.Long(120)
  long getGapAlertSeconds();

  void setGapAlertSeconds(long value);
}
