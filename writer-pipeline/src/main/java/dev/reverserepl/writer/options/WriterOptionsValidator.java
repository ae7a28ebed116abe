package dev.reverserepl.writer.options;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.writer.apply.ApplySettings;
import dev.reverserepl.writer.apply.SecretManagerPasswordResolver;
import dev.reverserepl.writer.resequence.ResequenceSettings;
import dev.reverserepl.writer.retry.RetryConfig;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/** Checks {@link WriterOptions} and loads what they point to, before any pipeline is built. */
public final class WriterOptionsValidator {
  static final String SOURCE = "writer options";

  private WriterOptionsValidator() {}

  public static WriterConfig toConfig(WriterOptions o) {
    checkBuffer(o);
    checkLimits(o);
    ZoneOffset offset;
    try {
      offset = ZoneOffset.of(o.getSourceDbTimezoneOffset());
    } catch (DateTimeException e) {
      throw new ConfigException(
          SOURCE,
          "",
          "sourceDbTimezoneOffset",
          "must look like +00:00 or -05:30, got '" + o.getSourceDbTimezoneOffset() + "'");
    }
    ApplySettings apply;
    RetryConfig retry;
    try {
      apply =
          new ApplySettings(o.getBatchSize(), o.getMaxRowsPerStatement(), o.getProgressTableName());
      retry =
          new RetryConfig(
              o.getMaxRetryAttempts(),
              Duration.ofMillis(o.getInitialRetryBackoffMillis()),
              Duration.ofMillis(o.getMaxRetryBackoffMillis()),
              0.2,
              Duration.ofSeconds(o.getMaxRetryDurationSeconds()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SOURCE, "", "", e.getMessage(), e);
    }
    List<Shard> shards = ShardsFile.load(o.getSourceShardsFilePath());
    SessionMapping session = SessionMapping.load(o.getSessionFilePath());
    int perWorker = (o.getMaxShardConnections() + o.getMaxWorkers() - 1) / o.getMaxWorkers();
    ResequenceSettings resequence =
        new ResequenceSettings(
            o.getMaxBufferedChanges(),
            o.getMaxReleaseChanges(),
            Duration.ofSeconds(o.getGapAlertSeconds()));
    return new WriterConfig(
        shards,
        session,
        offset,
        apply,
        retry,
        o.getDeadLetterQueueDirectory(),
        perWorker,
        new SecretManagerPasswordResolver(),
        resequence);
  }

  private static void checkBuffer(WriterOptions o) {
    switch (BufferType.parse(o.getBufferType())) {
      case PUBSUB ->
          require(o.getPubSubProjectId(), "pubSubProjectId", "is required with bufferType=pubsub");
      case KAFKA -> {
        require(
            o.getKafkaBootstrapServers(),
            "kafkaBootstrapServers",
            "is required with bufferType=kafka");
        require(o.getKafkaTopic(), "kafkaTopic", "is required with bufferType=kafka");
      }
    }
  }

  private static void checkLimits(WriterOptions o) {
    require(o.getDeadLetterQueueDirectory(), "deadLetterQueueDirectory", "is required");
    positive(o.getMaxShardConnections(), "maxShardConnections");
    positive(o.getMaxWorkers(), "maxWorkers");
    positive(o.getBatchSize(), "batchSize");
    positive(o.getMaxRowsPerStatement(), "maxRowsPerStatement");
    positive(o.getMaxRetryAttempts(), "maxRetryAttempts");
    positive(o.getMaxBufferedChanges(), "maxBufferedChanges");
    positive(o.getMaxReleaseChanges(), "maxReleaseChanges");
    positive(o.getGapAlertSeconds(), "gapAlertSeconds");
  }

  private static void require(String value, String field, String problem) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(SOURCE, "", field, problem);
    }
  }

  private static void positive(long value, String field) {
    if (value < 1) {
      throw new ConfigException(SOURCE, "", field, "must be >= 1, got " + value);
    }
  }
}
