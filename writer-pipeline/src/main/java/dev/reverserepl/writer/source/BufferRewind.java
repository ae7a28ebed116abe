package dev.reverserepl.writer.source;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.SeekRequest;
import dev.reverserepl.common.progress.ShardPositions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Rewinds the buffer for a writer that starts with empty state, so that it receives again every
 * envelope after the shards' applied positions — the ones the previous writer had read but not
 * applied vanish with it. Rules (README "Writer restart", tests {@code
 * BufferRewindTest.ruleWn_...}):
 *
 * <ol>
 *   <li>W1 The rewind time of a shard is the earliest complete-through time of its streams minus
 *       {@code margin} (clock skew between Spanner commit times and the buffer's publish times);
 *       every envelope holding a later change was published after that time. A shard with an
 *       unknown stream rewinds to the oldest retained message.
 *   <li>W2 Pub/Sub: each shard's subscription (retaining acknowledged messages) is sought to its
 *       rewind time.
 *   <li>W3 Kafka: the writer's consumer group offsets are set, per partition, to the first record
 *       at or after the earliest rewind time of all shards (the end when there is none); the writer
 *       then reads from them.
 *   <li>W4 What is delivered again below a shard's position is skipped as a duplicate (apply rules
 *       2 and 7).
 * </ol>
 */
public final class BufferRewind {
  private BufferRewind() {}

  /** Rule W1: the rewind time per shard id. */
  public static Map<String, Instant> rewindTimes(
      ShardPositions.Snapshot applied, Duration margin, Instant oldest) {
    Map<String, Instant> out = new java.util.LinkedHashMap<>();
    for (ShardPositions.Stream s : applied.streams()) {
      out.putIfAbsent(s.shardId(), null);
    }
    for (String shard : out.keySet()) {
      boolean unknown =
          applied.streams().stream()
              .anyMatch(s -> s.shardId().equals(shard) && s.completeThrough().isEmpty());
      Optional<Instant> earliest = applied.earliestKnown(shard);
      out.put(shard, unknown || earliest.isEmpty() ? oldest : earliest.get().minus(margin));
    }
    return out;
  }

  /**
   * Rule W2. {@code endpoint} empty = Google's default; {@code host:port} without TLS = the
   * emulator.
   */
  public static void seekPubSub(
      String project,
      Map<String, String> subscriptionByShard,
      Map<String, Instant> at,
      String endpoint)
      throws Exception {
    SubscriptionAdminSettings.Builder settings = SubscriptionAdminSettings.newBuilder();
    ManagedChannel channel = null;
    if (endpoint != null && !endpoint.isEmpty()) {
      String e = endpoint.replaceFirst("^https?://", "");
      if (endpoint.startsWith("https://") || e.endsWith(":443")) {
        settings.setEndpoint(e.contains(":") ? e : e + ":443");
      } else {
        channel = ManagedChannelBuilder.forTarget(e).usePlaintext().build();
        settings
            .setTransportChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
    }
    try (SubscriptionAdminClient client = SubscriptionAdminClient.create(settings.build())) {
      for (Map.Entry<String, String> e : subscriptionByShard.entrySet()) {
        Instant t = at.get(e.getKey());
        client.seek(
            SeekRequest.newBuilder()
                .setSubscription(PubSubEnvelopeSource.subscriptionPath(project, e.getValue()))
                .setTime(Timestamps.fromMillis(t.toEpochMilli()))
                .build());
      }
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Rule W3: returns the offsets set per partition. */
  public static Map<TopicPartition, Long> rewindKafka(
      String bootstrapServers, String topic, String group, Instant at) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(60, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Map<TopicPartition, OffsetSpec> byTime = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicPartition tp : partitions) {
        byTime.put(tp, OffsetSpec.forTimestamp(at.toEpochMilli()));
        latest.put(tp, OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
          admin.listOffsets(byTime).all().get(60, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      Map<TopicPartition, Long> out = new HashMap<>();
      for (TopicPartition tp : partitions) {
        long offset = found.get(tp).offset();
        if (offset < 0) {
          offset = ends.get(tp).offset();
        }
        commit.put(tp, new OffsetAndMetadata(offset, "rewound to " + at));
        out.put(tp, offset);
      }
      admin.alterConsumerGroupOffsets(group, commit).all().get(60, TimeUnit.SECONDS);
      return out;
    }
  }
}
