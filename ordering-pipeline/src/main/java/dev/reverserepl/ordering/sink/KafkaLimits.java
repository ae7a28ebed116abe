package dev.reverserepl.ordering.sink;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest record value the envelope topic takes, asked from the cluster at start ({@code
 * describeConfigs}): the smallest of the broker's {@code message.max.bytes}, the topic's {@code
 * max.message.bytes} and the producer's {@code max.request.size}, less room for the key, headers
 * and batch framing. An envelope over it goes by claim check.
 */
final class KafkaLimits {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaLimits.class);

  /** Kafka's own broker default, assumed when the cluster cannot be asked. */
  static final long KAFKA_DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;

  /** Key, headers and record-batch framing of one envelope record. */
  static final long RECORD_OVERHEAD = 2_048;

  private KafkaLimits() {}

  static long maxValueBytes(String bootstrapServers, String topic, long producerMaxRequestSize) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    long broker = KAFKA_DEFAULT_MESSAGE_MAX_BYTES;
    long topicLimit = Long.MAX_VALUE;
    try (Admin admin = Admin.create(p)) {
      DescribeClusterResult cluster = admin.describeCluster();
      String brokerId = cluster.nodes().get(30, TimeUnit.SECONDS).iterator().next().idString();
      ConfigResource b = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
      ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(b, t)).all().get(30, TimeUnit.SECONDS);
      broker = value(configs.get(b), "message.max.bytes", broker);
      topicLimit = value(configs.get(t), "max.message.bytes", topicLimit);
    } catch (Exception e) {
      LOG.warn(
          "Kafka {} topic {}: cannot read the message size limits ({}); assuming Kafka's default of {} bytes",
          bootstrapServers,
          topic,
          e.getMessage(),
          broker);
    }
    long limit = Math.min(Math.min(broker, topicLimit), producerMaxRequestSize) - RECORD_OVERHEAD;
    LOG.info(
        "Kafka {} topic {}: broker message.max.bytes={}, topic max.message.bytes={}, producer"
            + " max.request.size={}: envelopes over {} bytes travel by claim check",
        bootstrapServers,
        topic,
        broker,
        topicLimit == Long.MAX_VALUE ? "(unknown)" : topicLimit,
        producerMaxRequestSize,
        limit);
    return limit;
  }

  private static long value(Config c, String name, long fallback) {
    ConfigEntry e = c == null ? null : c.get(name);
    if (e == null || e.value() == null) {
      return fallback;
    }
    try {
      return Long.parseLong(e.value());
    } catch (NumberFormatException ex) {
      return fallback;
    }
  }
}
