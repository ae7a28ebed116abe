package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeHandOff;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Hands envelopes to a writer pipeline running in this process ({@link EnvelopeHandOff}): each
 * envelope is put before its element counts as processed, and a full hand-off holds this pipeline
 * back, so what waits between the two stays bounded.
 */
public final class HandOffSink extends PTransform<PCollection<Envelope>, PDone> {
  private final String handOffId;

  private HandOffSink(String handOffId) {
    this.handOffId = handOffId;
  }

  public static HandOffSink to(String handOffId) {
    return new HandOffSink(handOffId);
  }

  @Override
  public PDone expand(PCollection<Envelope> envelopes) {
    envelopes.apply("PutEnvelopes", ParDo.of(new PutFn(handOffId)));
    return PDone.in(envelopes.getPipeline());
  }

  static final class PutFn extends DoFn<Envelope, Void> {
    private final String handOffId;
    private transient EnvelopeHandOff handOff;

    PutFn(String handOffId) {
      this.handOffId = handOffId;
    }

    @Setup
    public void setup() {
      handOff = EnvelopeHandOff.find(handOffId);
    }

    @ProcessElement
    public void process(@Element Envelope e) throws InterruptedException {
      handOff.put(e);
    }
  }
}
