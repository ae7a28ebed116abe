package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
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
 * Publishes envelopes to one Pub/Sub topic; attribute {@code shardId} lets one filtered subscription per shard
 * (named as the shard) receive exactly that shard's envelopes.
 */
public final class PubSubSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String topic;
  private final boolean orderingKeys;

  private PubSubSink(String topic, boolean orderingKeys) {
    this.topic = topic;
    this.orderingKeys = orderingKeys;
  }

  /** Publish with ordering key {@code shardId#partition} (subscriptions must enable message ordering). */
  public PubSubSink withOrderingKeys(boolean enabled) {
    return new PubSubSink(topic, enabled);
  }

  /** {@code projects/<project>/topics/<topic>}. */
  public static PubSubSink to(String project, String topicId) {
    return new PubSubSink("projects/" + project + "/topics/" + topicId, false);
  }

  public static PubsubMessage toMessage(Envelope e) {
    return new PubsubMessage(EnvelopeCodec.encode(e), e.attributes());
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    if (!orderingKeys) {
      return envelopes
          .apply("ToMessage", MapElements.into(TypeDescriptor.of(PubsubMessage.class)).via(PubSubSink::toMessage))
          .setCoder(PubsubMessageWithAttributesCoder.of())
          .apply("Publish", PubsubIO.writeMessages().to(topic));
    }
    return envelopes
        .apply(
            "ToMessage",
            MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                .via(e -> new PubsubMessage(EnvelopeCodec.encode(e), e.attributes(), "", EnvelopeMessages.key(e))))
        .setCoder(PubsubMessageWithAttributesAndMessageIdAndOrderingKeyCoder.of())
        .apply("Publish", PubsubIO.writeMessages().withOrderingKey().to(topic));
  }
}
