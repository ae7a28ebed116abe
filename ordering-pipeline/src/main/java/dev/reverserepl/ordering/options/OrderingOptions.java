package dev.reverserepl.ordering.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the ordering pipeline; names follow the reverse-replication launcher and Google's
 * templates.
 */
public interface OrderingOptions extends PipelineOptions, StreamingOptions {
  @Description("Name of the Spanner change stream to read (value_capture_type NEW_ROW).")
  @Default.String("reverseReplicationStream")
  String getChangeStreamName();

  void setChangeStreamName(String value);

  @Description("Spanner instance id of the database that is replicated.")
  @Default.String("")
  String getInstanceId();

  void setInstanceId(String value);

  @Description("Spanner database id that is replicated.")
  @Default.String("")
  String getDatabaseId();

  void setDatabaseId(String value);

  @Description("Project of the Spanner instance; empty means the pipeline's project.")
  @Default.String("")
  String getSpannerProjectId();

  void setSpannerProjectId(String value);

  @Description("Spanner instance holding the change stream metadata; empty means instanceId.")
  @Default.String("")
  String getMetadataInstance();

  void setMetadataInstance(String value);

  @Description("Spanner database holding the change stream metadata.")
  @Default.String("change-stream-metadata")
  String getMetadataDatabase();

  void setMetadataDatabase(String value);

  @Description("Read changes committed at or after this RFC 3339 timestamp; empty means now.")
  @Default.String("")
  String getStartTimestamp();

  void setStartTimestamp(String value);

  @Description("Stop at this RFC 3339 timestamp (inclusive); empty means run forever.")
  @Default.String("")
  String getEndTimestamp();

  void setEndTimestamp(String value);

  @Description("Spanner API endpoint; empty = the client default.")
  @Default.String("")
  String getSpannerHost();

  void setSpannerHost(String value);

  @Description(
      "Spanner emulator host:port; empty for Cloud Spanner. (Not emulatorHost: FirestoreOptions owns that"
          + " name.)")
  @Default.String("")
  String getSpannerEmulatorHost();

  void setSpannerEmulatorHost(String value);

  @Description("Priority of the change stream queries: LOW, MEDIUM or HIGH.")
  @Default.String("HIGH")
  String getRpcPriority();

  void setRpcPriority(String value);

  @Description("Session file of the Spanner migration tool (local path or gs://).")
  @Validation.Required
  String getSessionFilePath();

  void setSessionFilePath(String value);

  @Description("Source shards file: JSON list of logical shards (local path or gs://).")
  @Validation.Required
  String getSourceShardsFilePath();

  void setSourceShardsFilePath(String value);

  @Description(
      "forward_migration drops transactions tagged txBy= (written by the forward migration); none keeps all.")
  @Default.String("forward_migration")
  String getFiltrationMode();

  void setFiltrationMode(String value);

  @Description(
      "Where ordered envelopes go: pubsub, kafka, or none (in-process use: the caller consumes them).")
  @Default.String("pubsub")
  String getSinkType();

  void setSinkType(String value);

  @Description("Pub/Sub topic id for the envelopes (without projects/.../topics/).")
  @Default.String("reverse-replication")
  String getPubSubDataTopicId();

  void setPubSubDataTopicId(String value);

  @Description("Project of the Pub/Sub topic; empty means the Spanner project.")
  @Default.String("")
  String getPubSubProjectId();

  void setPubSubProjectId(String value);

  @Description(
      "Publish with ordering key shardId#partition (the subscriptions must enable message ordering).")
  @Default.Boolean(false)
  Boolean getPubSubOrderingKeys();

  void setPubSubOrderingKeys(Boolean value);

  @Description(
      "Pub/Sub endpoint host:port (e.g. us-east1-pubsub.googleapis.com:443); empty means the global one.")
  @Default.String("")
  String getPubSubEndpoint();

  void setPubSubEndpoint(String value);

  @Description("Kafka bootstrap servers, for sinkType=kafka.")
  @Default.String("")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description("Kafka topic for the envelopes, for sinkType=kafka.")
  @Default.String("reverse-replication")
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description(
      "Partitions of kafkaTopic; shard i of the shards file goes to partition i mod this. 0 = one per shard.")
  @Default.Integer(0)
  Integer getKafkaTopicPartitions();

  void setKafkaTopicPartitions(Integer value);

  @Description(
      "Read change-record files (JSON lines, a file or directory) instead of the change stream.")
  @Default.String("")
  String getChangeRecordsPath();

  void setChangeRecordsPath(String value);

  @Description(
      "Streams per shard: 1 applies each shard in strict commit order; more keep per-key order only.")
  @Default.Integer(1)
  Integer getPartitionsPerShard();

  void setPartitionsPerShard(Integer value);

  @Description("Identifies this run in every envelope; 0 means the launch time in milliseconds.")
  @Default.Long(0)
  Long getEpoch();

  void setEpoch(Long value);

  @Description(
      "Commit-time width of one sequencer bucket (the most a key holds in memory at once), in ms.")
  @Default.Long(1000)
  Long getSequencerBucketMillis();

  void setSequencerBucketMillis(Long value);

  @Description("Most changes in one published envelope.")
  @Default.Integer(500)
  Integer getMaxChangesPerEnvelope();

  void setMaxChangesPerEnvelope(Integer value);

  @Description("Most bytes in one published envelope.")
  @Default.Long(524288)
  Long getMaxEnvelopeBytes();

  void setMaxEnvelopeBytes(Long value);

  @Description("Seconds between progress markers of idle shards.")
  @Default.Long(10)
  Long getProgressIntervalSeconds();

  void setProgressIntervalSeconds(Long value);

  @Description("Directory (local or gs://) for changes whose shard cannot be resolved.")
  @Default.String("")
  String getDeadLetterQueueDirectory();

  void setDeadLetterQueueDirectory(String value);

  @Description("Class name of a custom ShardIdFetcher; empty uses the session's shard-id column.")
  @Default.String("")
  String getShardIdFetcherClass();

  void setShardIdFetcherClass(String value);

  @Description(
      "With changeRecordsPath: keep watching the directory and read each new file as it appears (an endless"
          + " run without Spanner). Files must appear complete (renamed into place), named in commit order, each holding"
          + " only commits later than the files before it.")
  @Default.Boolean(false)
  Boolean getFollowChangeRecords();

  void setFollowChangeRecords(Boolean value);

  @Description(
      "With followChangeRecords: the most a new file's commits may be older than the moment it appears;"
          + " when no new file comes, the watermark moves to now minus this.")
  @Default.Long(5)
  Long getFollowChangeRecordsMaxDelaySeconds();

  void setFollowChangeRecordsMaxDelaySeconds(Long value);

  @Description(
      "Accept a startTimestamp later than some shard's applied position (the changes in between are never"
          + " replicated to that shard). Without it such a start is refused.")
  @Default.Boolean(false)
  Boolean getAllowStartAfterShardPositions();

  void setAllowStartAfterShardPositions(Boolean value);

  @Description(
      "Progress table on every shard (the writer's applied positions), read to resume from the shards.")
  @Default.String("rr_applied_position")
  String getProgressTableName();

  void setProgressTableName(String value);

  @Description(
      "Directory (local or gs://) for envelopes too large for the buffer (Pub/Sub: over 7 MB; Kafka: over"
          + " the broker's and topic's limits): the envelope is stored there and the message carries a reference the"
          + " writer fetches. Empty = <deadLetterQueueDirectory>/claim-check.")
  @Default.String("")
  String getClaimCheckDirectory();

  void setClaimCheckDirectory(String value);
}
