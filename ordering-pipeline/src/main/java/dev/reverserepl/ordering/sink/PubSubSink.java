package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
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

  private PubSubSink(String topic) {
    this.topic = topic;
  }

  /** {@code projects/<project>/topics/<topic>}. */
  public static PubSubSink to(String project, String topicId) {
    return new PubSubSink("projects/" + project + "/topics/" + topicId);
  }

  public static PubsubMessage toMessage(Envelope e) {
    return new PubsubMessage(EnvelopeCodec.encode(e), e.attributes());
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    return envelopes
        .apply("ToMessage", MapElements.into(TypeDescriptor.of(PubsubMessage.class)).via(PubSubSink::toMessage))
        .setCoder(PubsubMessageWithAttributesCoder.of())
        .apply("Publish", PubsubIO.writeMessages().to(topic));
  }
}
