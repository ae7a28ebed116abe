package dev.reverserepl.ordering.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of the ordering pipeline. Names follow the reverse-replication seed and Google's Spanner-to-sourcedb
 * templates; paths may be local or {@code gs://}.
 */
public interface OrderingOptions extends PipelineOptions {
  String FILTRATION_FORWARD_MIGRATION = "forward_migration";
  String FILTRATION_NONE = "none";
  String SINK_PUBSUB = "pubsub";
  String SINK_KAFKA = "kafka";
  String SINK_NONE = "none";

  @Description("Name of the Spanner change stream to read (created with VALUE_CAPTURE_TYPE = 'NEW_ROW').")
  @Default.String("")
  String getChangeStreamName();

  void setChangeStreamName(String value);

  @Description("Spanner instance id of the migrated database.")
  @Default.String("")
  String getInstanceId();

  void setInstanceId(String value);

  @Description("Spanner database id of the migrated database.")
  @Default.String("")
  String getDatabaseId();

  void setDatabaseId(String value);

  @Description("Project of the Spanner instance; empty = the pipeline's project.")
  @Default.String("")
  String getSpannerProjectId();

  void setSpannerProjectId(String value);

  @Description("Spanner instance holding the change-stream metadata table; empty = instanceId.")
  @Default.String("")
  String getMetadataInstance();

  void setMetadataInstance(String value);

  @Description("Spanner database holding the change-stream metadata table; empty = databaseId.")
  @Default.String("")
  String getMetadataDatabase();

  void setMetadataDatabase(String value);

  @Description("Read changes committed at or after this RFC 3339 time; empty = the launch time.")
  @Default.String("")
  String getStartTimestamp();

  void setStartTimestamp(String value);

  @Description("Stop at this RFC 3339 commit time (the pipeline then finishes); empty = run forever.")
  @Default.String("")
  String getEndTimestamp();

  void setEndTimestamp(String value);

  @Description("Spanner API endpoint.")
  @Default.String("https://batch-spanner.googleapis.com")
  String getSpannerHost();

  void setSpannerHost(String value);

  @Description("host:port of a Spanner emulator; when set, spannerHost is ignored and no credentials are used."
      + " (Not named emulatorHost: FirestoreOptions owns that name without a default.)")
  @Default.String("")
  String getSpannerEmulatorHost();

  void setSpannerEmulatorHost(String value);

  @Description("Priority of the change-stream queries: LOW, MEDIUM or HIGH.")
  @Default.String("HIGH")
  String getRpcPriority();

  void setRpcPriority(String value);

  @Description("Session file of the migration (maps Spanner tables and columns to the source).")
  @Default.String("")
  String getSessionFilePath();

  void setSessionFilePath(String value);

  @Description("Source shards file (logical shard ids and connection details).")
  @Default.String("")
  String getSourceShardsFilePath();

  void setSourceShardsFilePath(String value);

  @Description("forward_migration: drop transactions tagged txBy=... (written by the forward migration); none: keep all.")
  @Default.String(FILTRATION_FORWARD_MIGRATION)
  String getFiltrationMode();

  void setFiltrationMode(String value);

  @Description("Where envelopes go: pubsub, kafka, or none (in-process use: the caller consumes them).")
  @Default.String(SINK_PUBSUB)
  String getSinkType();

  void setSinkType(String value);

  @Description("Pub/Sub topic id for the envelopes (sinkType=pubsub).")
  @Default.String("")
  String getPubSubDataTopicId();

  void setPubSubDataTopicId(String value);

  @Description("Project of the Pub/Sub topic; empty = spannerProjectId.")
  @Default.String("")
  String getPubSubProjectId();

  void setPubSubProjectId(String value);

  @Description("Pub/Sub root URL, e.g. a regional endpoint https://us-east1-pubsub.googleapis.com or an emulator"
      + " http://127.0.0.1:8085; empty = the global endpoint.")
  @Default.String("")
  String getPubSubEndpoint();

  void setPubSubEndpoint(String value);

  @Description("Publish with ordering key shardId#partition (the topic's subscriptions must enable ordering).")
  @Default.Boolean(false)
  Boolean getPubSubOrderingKeys();

  void setPubSubOrderingKeys(Boolean value);

  @Description("Kafka bootstrap servers (sinkType=kafka).")
  @Default.String("")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description("Kafka topic for the envelopes; shard i of the shards file goes to partition i mod partitions.")
  @Default.String("")
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description("Number of partitions of kafkaTopic; 0 = as many as shards in the shards file.")
  @Default.Integer(0)
  Integer getKafkaTopicPartitions();

  void setKafkaTopicPartitions(Integer value);

  @Description("Read change-record files (JSON lines of DataChangeRecord, a file or directory) instead of Spanner.")
  @Default.String("")
  String getChangeRecordsPath();

  void setChangeRecordsPath(String value);

  @Description("Ordered streams per shard: 1 = strict commit order per shard; n > 1 = per-row order over n"
      + " streams chosen by a hash of the primary key.")
  @Default.Integer(1)
  Integer getPartitionsPerShard();

  void setPartitionsPerShard(Integer value);

  @Description("Identifies this run in every envelope; sequences restart at 1 per epoch. Default: launch time millis.")
  @Default.InstanceFactory(LaunchTimeEpoch.class)
  Long getEpoch();

  void setEpoch(Long value);

  @Description("Width of a commit-time bucket (ms); one bucket of one shard is the most the sequencer holds in memory.")
  @Default.Long(1_000)
  Long getSequencerBucketMillis();

  void setSequencerBucketMillis(Long value);

  @Description("Most changes in one envelope.")
  @Default.Integer(500)
  Integer getMaxChangesPerEnvelope();

  void setMaxChangesPerEnvelope(Integer value);

  @Description("Approximate upper bound of one encoded envelope in bytes.")
  @Default.Long(512 * 1024)
  Long getMaxEnvelopeBytes();

  void setMaxEnvelopeBytes(Long value);

  @Description("Progress markers for idle shards every this many seconds (streaming reads only; 0 = none).")
  @Default.Long(10)
  Long getProgressIntervalSeconds();

  void setProgressIntervalSeconds(Long value);

  @Description("Directory (local or gs://) for changes whose shard cannot be resolved; empty = log them.")
  @Default.String("")
  String getDeadLetterQueueDirectory();

  void setDeadLetterQueueDirectory(String value);

  @Description("Class name of a custom ShardIdFetcher; empty = the session's shard-id column.")
  @Default.String("")
  String getShardIdFetcherClass();

  void setShardIdFetcherClass(String value);

  /** The epoch default: evaluated once when the options are created, i.e. at launch. */
  class LaunchTimeEpoch implements DefaultValueFactory<Long> {
    @Override
    public Long create(PipelineOptions options) {
      return System.currentTimeMillis();
    }
  }
}
