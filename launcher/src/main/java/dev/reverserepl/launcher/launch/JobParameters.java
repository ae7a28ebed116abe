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
    Map<String, String> p = new LinkedHashMap<>();
    p.put("changeStreamName", s.changeStreamName());
    p.put("instanceId", s.instanceId());
    p.put("databaseId", s.dbName());
    p.put("spannerProjectId", s.projectId());
    p.put("metadataInstance", s.metadataInstance());
    p.put("metadataDatabase", s.metadataDatabase());
    put(p, "startTimestamp", s.startTimestamp());
    p.put("sessionFilePath", s.sessionFilePath());
    p.put("sourceShardsFilePath", s.sourceShardsFilePath());
    p.put("filtrationMode", s.filtrationMode());
    p.put("sinkType", s.sinkType());
    if (s.usesPubSub()) {
      p.put("pubSubProjectId", s.projectId());
      p.put("pubSubDataTopicId", s.pubSubDataTopicId());
      p.put("pubSubEndpoint", s.pubSubEndpoint());
    } else {
      p.put("kafkaBootstrapServers", s.kafkaBootstrapServers());
      p.put("kafkaTopic", s.kafkaTopic());
    }
    // routing dead letters land next to the writer's, where the progress document counts them as
    // pending
    p.put("deadLetterQueueDirectory", s.deadLetterQueueDirectory());
    return Collections.unmodifiableMap(p);
  }

  /** Parameters of the writer job, in a stable order. */
  public static Map<String, String> writer(LaunchSettings s) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("sourceShardsFilePath", s.sourceShardsFilePath());
    p.put("sessionFilePath", s.sessionFilePath());
    p.put("bufferType", s.sinkType());
    if (s.usesPubSub()) {
      p.put("pubSubProjectId", s.projectId());
      p.put("pubSubEndpoint", s.pubSubEndpoint());
    } else {
      p.put("kafkaBootstrapServers", s.kafkaBootstrapServers());
      p.put("kafkaTopic", s.kafkaTopic());
    }
    p.put("deadLetterQueueDirectory", s.deadLetterQueueDirectory());
    // the writer divides its per-shard connection budget by the most workers it can have
    p.put("maxWorkers", String.valueOf(s.writerMaxWorkers()));
    return Collections.unmodifiableMap(p);
  }

  private static void put(Map<String, String> p, String name, String value) {
    if (value != null && !value.isEmpty()) {
      p.put(name, value);
    }
  }
}
