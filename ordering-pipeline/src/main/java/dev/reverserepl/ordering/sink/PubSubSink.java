package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.ClaimCheck;
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
 * Publishes envelopes to one Pub/Sub topic; attribute {@code shardId} lets one filtered
 * subscription per shard (named as the shard) receive exactly that shard's envelopes. An envelope
 * over {@link #MAX_PAYLOAD_BYTES} is published as a claim-check reference ({@link ClaimCheck}), so
 * the stream stays gapless.
 */
public final class PubSubSink extends PTransform<PCollection<Envelope>, PDone> {
  /**
   * Pub/Sub takes 10 MB per publish request, and the JSON publish API carries the payload
   * base64-encoded (4/3 of its size) beside the attributes: payloads up to 7 MB always fit.
   */
  public static final long MAX_PAYLOAD_BYTES = 7_000_000;

  private final String topic;
  private final boolean orderingKeys;
  private final ClaimCheck claimCheck;

  private PubSubSink(String topic, boolean orderingKeys, ClaimCheck claimCheck) {
    this.topic = topic;
    this.orderingKeys = orderingKeys;
    this.claimCheck = claimCheck;
  }

  /**
   * Publish with ordering key {@code shardId#partition} (subscriptions must enable message
   * ordering).
   */
  public PubSubSink withOrderingKeys(boolean enabled) {
    return new PubSubSink(topic, enabled, claimCheck);
  }

  /**
   * Where envelopes over {@link #MAX_PAYLOAD_BYTES} go ({@link ClaimCheck}); empty = nowhere (a
   * clear error).
   */
  public PubSubSink withClaimCheckDirectory(String directory) {
    return new PubSubSink(
        topic, orderingKeys, new ClaimCheck(directory == null ? "" : directory, MAX_PAYLOAD_BYTES));
  }

  /** {@code projects/<project>/topics/<topic>}. */
  public static PubSubSink to(String project, String topicId) {
    return new PubSubSink(
        "projects/" + project + "/topics/" + topicId, false, new ClaimCheck("", MAX_PAYLOAD_BYTES));
  }

  public static PubsubMessage toMessage(Envelope e) {
    return new PubsubMessage(EnvelopeCodec.encode(e), e.attributes());
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    ClaimCheck cc = claimCheck;
    if (!orderingKeys) {
      return envelopes
          .apply(
              "ToMessage",
              MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                  .via(e -> new PubsubMessage(cc.payload(e), e.attributes())))
          .setCoder(PubsubMessageWithAttributesCoder.of())
          .apply("Publish", PubsubIO.writeMessages().to(topic));
    }
    return envelopes
        .apply(
            "ToMessage",
            MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                .via(
                    e ->
                        new PubsubMessage(
                            cc.payload(e), e.attributes(), "", EnvelopeMessages.key(e))))
        .setCoder(PubsubMessageWithAttributesAndMessageIdAndOrderingKeyCoder.of())
        .apply("Publish", PubsubIO.writeMessages().withOrderingKey().to(topic));
  }
}
