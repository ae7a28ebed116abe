package dev.reverserepl.launcher.provision;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The Spanner and Pub/Sub admin clients provisioning uses, pointed at Google Cloud or, when an
 * emulator host is given, at the emulators (plaintext, no credentials). Pub/Sub clients are created
 * only when a Pub/Sub sink is used.
 */
public final class GcpClients implements AutoCloseable {
  private final Spanner spanner;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;
  private final ManagedChannel pubsubChannel;

  private GcpClients(
      Spanner spanner,
      TopicAdminClient topics,
      SubscriptionAdminClient subscriptions,
      ManagedChannel pubsubChannel) {
    this.spanner = spanner;
    this.topics = topics;
    this.subscriptions = subscriptions;
    this.pubsubChannel = pubsubChannel;
  }

  /**
   * @param spannerEmulatorHost {@code host:port} or null for Cloud Spanner
   * @param pubsubEndpoint the regional or global Pub/Sub endpoint, {@code host:443}; null = no
   *     Pub/Sub clients
   * @param pubsubEmulatorHost {@code host:port} or null
   */
  public static GcpClients open(
      String projectId,
      String spannerEmulatorHost,
      String pubsubEndpoint,
      String pubsubEmulatorHost) {
    SpannerOptions.Builder spannerOptions = SpannerOptions.newBuilder().setProjectId(projectId);
    if (spannerEmulatorHost != null) {
      spannerOptions
          .setEmulatorHost(spannerEmulatorHost)
          .setCredentials(NoCredentials.getInstance())
          // metrics would be exported to Cloud Monitoring, which an emulator setup cannot reach
          .setBuiltInMetricsEnabled(false);
    }
    Spanner spanner = spannerOptions.build().getService();
    if (pubsubEndpoint == null && pubsubEmulatorHost == null) {
      return new GcpClients(spanner, null, null, null);
    }
    try {
      TopicAdminSettings.Builder topicSettings = TopicAdminSettings.newBuilder();
      SubscriptionAdminSettings.Builder subscriptionSettings =
          SubscriptionAdminSettings.newBuilder();
      ManagedChannel channel = null;
      if (pubsubEmulatorHost != null) {
        channel = ManagedChannelBuilder.forTarget(pubsubEmulatorHost).usePlaintext().build();
        TransportChannelProvider provider =
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        topicSettings
            .setTransportChannelProvider(provider)
            .setCredentialsProvider(NoCredentialsProvider.create());
        subscriptionSettings
            .setTransportChannelProvider(provider)
            .setCredentialsProvider(NoCredentialsProvider.create());
      } else {
        topicSettings.setEndpoint(pubsubEndpoint);
        subscriptionSettings.setEndpoint(pubsubEndpoint);
      }
      return new GcpClients(
          spanner,
          TopicAdminClient.create(topicSettings.build()),
          SubscriptionAdminClient.create(subscriptionSettings.build()),
          channel);
    } catch (IOException e) {
      spanner.close();
      throw new UncheckedIOException("cannot create Pub/Sub admin clients", e);
    }
  }

  public Spanner spanner() {
    return spanner;
  }

  public TopicAdminClient topics() {
    return topics;
  }

  public SubscriptionAdminClient subscriptions() {
    return subscriptions;
  }

  @Override
  public void close() {
    if (topics != null) {
      topics.close();
    }
    if (subscriptions != null) {
      subscriptions.close();
    }
    if (pubsubChannel != null) {
      pubsubChannel.shutdownNow();
      try {
        pubsubChannel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    spanner.close();
  }
}
