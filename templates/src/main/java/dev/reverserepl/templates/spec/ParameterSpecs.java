package dev.reverserepl.templates.spec;

import static dev.reverserepl.templates.spec.ParamType.GCS_READ_FILE;
import static dev.reverserepl.templates.spec.ParamType.GCS_WRITE_FOLDER;
import static dev.reverserepl.templates.spec.Patterns.orEmpty;

import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.writer.options.BufferType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The person-written half of each template's metadata: one {@link ParameterSpec} per pipeline
 * option. Help text and defaults come from the Options interfaces; the generator fails when an
 * option has no entry here or an entry names no option, so a new option cannot reach the Console
 * with a machine-made label.
 */
public final class ParameterSpecs {
  private ParameterSpecs() {}

  private static final EnumOption PUBSUB =
      new EnumOption(
          BufferType.PUBSUB.wireName(),
          "Pub/Sub",
          "A topic with one filtered subscription per shard.");
  private static final EnumOption KAFKA =
      new EnumOption(
          BufferType.KAFKA.wireName(), "Kafka", "A Kafka topic; shards map to partitions.");

  /** Options both pipelines have, described once. */
  private static Map<String, ParameterSpec> shared() {
    Map<String, ParameterSpec> m = new LinkedHashMap<>();
    m.put(
        "sessionFilePath",
        ParameterSpec.of("Session file").withType(GCS_READ_FILE).withRegex(Patterns.GCS));
    m.put(
        "sourceShardsFilePath",
        ParameterSpec.of("Source shards file").withType(GCS_READ_FILE).withRegex(Patterns.GCS));
    m.put(
        "pubSubProjectId",
        ParameterSpec.of("Pub/Sub project").withRegex(orEmpty(Patterns.PROJECT)));
    m.put(
        "pubSubEndpoint",
        ParameterSpec.of("Pub/Sub endpoint").withRegex(orEmpty(Patterns.ENDPOINT)));
    m.put(
        "kafkaBootstrapServers",
        ParameterSpec.of("Kafka bootstrap servers").withRegex(orEmpty(Patterns.KAFKA_SERVERS)));
    m.put("kafkaTopic", ParameterSpec.of("Kafka topic").withRegex(Patterns.TOPIC_ID));
    return m;
  }

  /** The ordering template's parameters. */
  public static Map<String, ParameterSpec> ordering() {
    Map<String, ParameterSpec> m = shared();
    m.put("changeStreamName", ParameterSpec.of("Change stream").withRegex(Patterns.CHANGE_STREAM));
    m.put(
        "instanceId",
        ParameterSpec.of("Spanner instance").withRegex(Patterns.SPANNER_INSTANCE).required());
    m.put(
        "databaseId",
        ParameterSpec.of("Spanner database").withRegex(Patterns.SPANNER_DATABASE).required());
    m.put(
        "spannerProjectId",
        ParameterSpec.of("Spanner project").withRegex(orEmpty(Patterns.PROJECT)));
    m.put(
        "metadataInstance",
        ParameterSpec.of("Change stream metadata instance")
            .withRegex(orEmpty(Patterns.SPANNER_INSTANCE)));
    m.put(
        "metadataDatabase",
        ParameterSpec.of("Change stream metadata database").withRegex(Patterns.SPANNER_DATABASE));
    m.put(
        "startTimestamp", ParameterSpec.of("Start timestamp").withRegex(orEmpty(Patterns.RFC3339)));
    m.put("endTimestamp", ParameterSpec.of("End timestamp").withRegex(orEmpty(Patterns.RFC3339)));
    m.put(
        "spannerHost",
        ParameterSpec.of("Spanner API endpoint").withRegex(orEmpty(Patterns.ENDPOINT)));
    m.put(
        "rpcPriority",
        ParameterSpec.of("Change stream query priority")
            .withChoices(
                new EnumOption("HIGH", "High", null),
                new EnumOption("MEDIUM", "Medium", null),
                new EnumOption("LOW", "Low", null)));
    m.put(
        "filtrationMode",
        ParameterSpec.of("Forward-migration filter")
            .withChoices(
                new EnumOption(
                    FiltrationMode.FORWARD_MIGRATION.wireName(),
                    "Drop forward-migration writes",
                    "Transactions tagged txBy= were written by the forward migration and are not replicated back."),
                new EnumOption(FiltrationMode.NONE.wireName(), "Keep every change", null)));
    m.put("sinkType", ParameterSpec.of("Buffer between the jobs").withChoices(PUBSUB, KAFKA));
    // the id only: a PUBSUB_TOPIC picker would hand over projects/.../topics/..., which the
    // pipeline refuses
    m.put("pubSubDataTopicId", ParameterSpec.of("Pub/Sub topic id").withRegex(Patterns.TOPIC_ID));
    m.put("pubSubOrderingKeys", ParameterSpec.of("Publish with ordering keys"));
    m.put("kafkaTopicPartitions", ParameterSpec.of("Kafka topic partitions"));
    m.put("partitionsPerShard", ParameterSpec.of("Streams per shard"));
    m.put("epoch", ParameterSpec.of("Run epoch"));
    m.put("sequencerBucketMillis", ParameterSpec.of("Sequencer bucket width (ms)"));
    m.put("maxChangesPerEnvelope", ParameterSpec.of("Changes per envelope"));
    m.put("maxEnvelopeBytes", ParameterSpec.of("Bytes per envelope"));
    m.put("progressIntervalSeconds", ParameterSpec.of("Idle progress interval (s)"));
    m.put(
        "deadLetterQueueDirectory",
        ParameterSpec.of("Dead-letter folder")
            .withType(GCS_WRITE_FOLDER)
            .withRegex(orEmpty(Patterns.GCS)));
    m.put(
        "shardIdFetcherClass",
        ParameterSpec.of("Custom shard-id fetcher class").withRegex(orEmpty(Patterns.JAVA_CLASS)));
    m.put(
        "claimCheckDirectory",
        ParameterSpec.of("Claim-check folder for oversized envelopes")
            .withType(GCS_WRITE_FOLDER)
            .withRegex(orEmpty(Patterns.GCS)));
    m.put(
        "allowStartAfterShardPositions",
        ParameterSpec.of("Allow a start later than the shards' positions"));
    m.put(
        "progressTableName",
        ParameterSpec.of("Progress table on the shards").withRegex(Patterns.MYSQL_TABLE));
    // local runs and tests only
    m.put("followChangeRecords", ParameterSpec.local());
    m.put("followChangeRecordsMaxDelaySeconds", ParameterSpec.local());
    m.put("spannerEmulatorHost", ParameterSpec.local());
    m.put("changeRecordsPath", ParameterSpec.local());
    return m;
  }

  /** The writer template's parameters. */
  public static Map<String, ParameterSpec> writer() {
    Map<String, ParameterSpec> m = shared();
    m.put("bufferType", ParameterSpec.of("Buffer between the jobs").withChoices(PUBSUB, KAFKA));
    m.put(
        "subscriptionPrefix",
        ParameterSpec.of("Subscription name prefix").withRegex(Patterns.NAME_PART));
    m.put(
        "subscriptionSuffix",
        ParameterSpec.of("Subscription name suffix").withRegex(Patterns.NAME_PART));
    m.put(
        "kafkaConsumerGroup",
        ParameterSpec.of("Kafka consumer group").withRegex(Patterns.TOPIC_ID));
    m.put(
        "sourceDbTimezoneOffset",
        ParameterSpec.of("Source database time zone").withRegex(Patterns.UTC_OFFSET));
    m.put("maxShardConnections", ParameterSpec.of("Connections per shard (whole job)"));
    m.put("maxWorkers", ParameterSpec.of("Workers sharing the connection budget"));
    m.put("batchSize", ParameterSpec.of("Changes per MySQL transaction"));
    m.put("maxRowsPerStatement", ParameterSpec.of("Rows per statement"));
    m.put("progressTableName", ParameterSpec.of("Progress table").withRegex(Patterns.MYSQL_TABLE));
    m.put(
        "deadLetterQueueDirectory",
        ParameterSpec.of("Dead-letter folder")
            .withType(GCS_WRITE_FOLDER)
            .withRegex(Patterns.GCS)
            .required());
    m.put("maxRetryAttempts", ParameterSpec.of("Retry attempts per batch"));
    m.put("initialRetryBackoffMillis", ParameterSpec.of("First retry backoff (ms)"));
    m.put("maxRetryBackoffMillis", ParameterSpec.of("Longest retry backoff (ms)"));
    m.put("maxRetryDurationSeconds", ParameterSpec.of("Longest retry time per batch (s)"));
    m.put(
        "maxBufferedChanges", ParameterSpec.of("Changes buffered per stream while a gap is open"));
    m.put("maxReleaseChanges", ParameterSpec.of("Changes released per run after a gap fills"));
    m.put(
        "gapAlertSeconds", ParameterSpec.of("Seconds a stream may wait for a gap before an alert"));
    m.put(
        "rewindBufferOnStart",
        ParameterSpec.of("Rewind the buffer to the shards' positions at start"));
    m.put(
        "rewindMarginSeconds", ParameterSpec.of("Rewind margin before the shards' positions (s)"));
    // local runs and tests only
    m.put("kafkaMaxRecords", ParameterSpec.local());
    return m;
  }
}
