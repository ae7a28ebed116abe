package dev.reverserepl.launcher.launch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pipeline options each job is launched with, keyed by the option names of the ordering and
 * writer pipelines' Options interfaces (the Flex Template parameters). Empty values are left out so
 * the pipeline's own default applies — an empty {@code startTimestamp} makes the ordering job
 * resume from the shards' applied positions (now, on the first launch).
 */
public final class JobParameters {
  private JobParameters() {}

  /** Parameters of the ordering job, in a stable order. */
  public static Map<String, String> ordering(LaunchSettings s) {
    SpannerSource spanner = s.spanner();
    BufferSettings buffer = s.buffer();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("changeStreamName", spanner.changeStreamName());
    p.put("instanceId", spanner.instanceId());
    p.put("databaseId", spanner.dbName());
    p.put("spannerProjectId", s.projectId());
    p.put("metadataInstance", spanner.metadataInstance());
    p.put("metadataDatabase", spanner.metadataDatabase());
    put(p, "startTimestamp", spanner.startTimestamp());
    p.put("sessionFilePath", s.locations().sessionFilePath());
    p.put("sourceShardsFilePath", s.locations().sourceShardsFilePath());
    p.put("filtrationMode", spanner.filtrationMode().wireName());
    // the buffer kinds the launcher offers are sink types of the ordering job, spelled alike
    p.put("sinkType", buffer.type().wireName());
    switch (buffer.type()) {
      case PUBSUB -> {
        p.put("pubSubProjectId", s.projectId());
        p.put("pubSubDataTopicId", buffer.pubSubDataTopicId());
        p.put("pubSubEndpoint", buffer.pubSubEndpoint());
      }
      case KAFKA -> kafka(p, buffer);
    }
    // routing dead letters land next to the writer's, where the progress document counts them as
    // pending
    p.put("deadLetterQueueDirectory", s.locations().deadLetterQueueDirectory());
    return Collections.unmodifiableMap(p);
  }

  /** Parameters of the writer job, in a stable order. */
  public static Map<String, String> writer(LaunchSettings s) {
    Map<String, String> p = new LinkedHashMap<>();
    BufferSettings buffer = s.buffer();
    p.put("sourceShardsFilePath", s.locations().sourceShardsFilePath());
    p.put("sessionFilePath", s.locations().sessionFilePath());
    p.put("bufferType", buffer.type().wireName());
    switch (buffer.type()) {
      case PUBSUB -> {
        p.put("pubSubProjectId", s.projectId());
        p.put("pubSubEndpoint", buffer.pubSubEndpoint());
      }
      case KAFKA -> kafka(p, buffer);
    }
    p.put("deadLetterQueueDirectory", s.locations().deadLetterQueueDirectory());
    // the writer divides its per-shard connection budget by the most workers it can have
    p.put("maxWorkers", String.valueOf(s.workers().writer().maxWorkers()));
    return Collections.unmodifiableMap(p);
  }

  private static void kafka(Map<String, String> p, BufferSettings buffer) {
    p.put("kafkaBootstrapServers", buffer.kafkaBootstrapServers());
    p.put("kafkaTopic", buffer.kafkaTopic());
  }

  private static void put(Map<String, String> p, String name, String value) {
    if (value != null && !value.isEmpty()) {
      p.put(name, value);
    }
  }
}
