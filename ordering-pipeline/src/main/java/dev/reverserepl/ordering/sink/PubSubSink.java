package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesAndMessageIdAndOrderingKeyCoder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Publishes envelopes to a Pub/Sub topic with attributes {@code shardId, partition, epoch, firstSeq, lastSeq}
 * ({@code shardId} is what the per-shard filtered subscriptions select on) and, optionally, ordering key {@code
 * shardId#partition}. The root URL (regional endpoint or emulator) comes from {@code PubsubOptions.pubsubRootUrl}.
 */
public final class PubSubSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String topic;
  private final boolean orderingKeys;
  private final EnvelopeMessages messages;

  /**
   * @param topic {@code projects/P/topics/T}
   */
  public PubSubSink(String topic, boolean orderingKeys, EnvelopeMessages messages) {
    this.topic = topic;
    this.orderingKeys = orderingKeys;
    this.messages = messages;
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    PubsubIO.Write<PubsubMessage> write = PubsubIO.writeMessages().to(topic);
    if (orderingKeys) {
      write = write.withOrderingKey();
    }
    EnvelopeMessages m = messages;
    boolean keys = orderingKeys;
    return envelopes
        .apply("ToPubsubMessage", MapElements.into(TypeDescriptor.of(PubsubMessage.class)).via(e -> m.pubsub(e, keys)))
        .setCoder(
            keys
                ? PubsubMessageWithAttributesAndMessageIdAndOrderingKeyCoder.of()
                : PubsubMessageWithAttributesCoder.of())
        .apply("Publish", write);
  }
}
