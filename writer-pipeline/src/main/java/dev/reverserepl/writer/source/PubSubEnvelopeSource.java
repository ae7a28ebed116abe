package dev.reverserepl.writer.source;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads one Pub/Sub subscription per shard, in parallel ({@code
 * projects/<project>/subscriptions/<name>}, name = prefix + logicalShardId + suffix), and decodes
 * the envelopes.
 */
public final class PubSubEnvelopeSource extends PTransform<PBegin, PCollection<Envelope>> {
  private final String project;
  private final List<String> subscriptions;
  private final String deadLetterDirectory;

  public PubSubEnvelopeSource(
      String project, List<String> subscriptionNames, String deadLetterDirectory) {
    this.project = project;
    this.subscriptions = List.copyOf(subscriptionNames);
    this.deadLetterDirectory = deadLetterDirectory;
  }

  public static String subscriptionPath(String project, String name) {
    return "projects/" + project + "/subscriptions/" + name;
  }

  @Override
  public PCollection<Envelope> expand(PBegin begin) {
    PCollectionList<KV<String, byte[]>> all = PCollectionList.empty(begin.getPipeline());
    for (String name : subscriptions) {
      PCollection<KV<String, byte[]>> one =
          begin
              .apply(
                  "Read " + name,
                  PubsubIO.readMessagesWithAttributes()
                      .fromSubscription(subscriptionPath(project, name)))
              .apply(
                  "Payload " + name,
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
                      .via(
                          (PubsubMessage m) ->
                              KV.of(m.getAttribute(Envelope.ATTR_SHARD_ID), m.getPayload())))
              .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), ByteArrayCoder.of()));
      all = all.and(one);
    }
    return all.apply("FlattenSubscriptions", Flatten.pCollections())
        .apply("Decode", ParDo.of(new DecodeEnvelopeFn(deadLetterDirectory)))
        .setCoder(EnvelopeCoder.of());
  }
}
