package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.envelope.Envelope;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** Keyed changes (coder {@code KvCoder(StringUtf8Coder, SequencerInputCoder)}) (key {@code shard#partition}) and ticks in, ordered gapless envelopes out. */
public final class SequenceChanges extends PTransform<PCollection<KV<String, SequencerInput>>, PCollection<Envelope>> {
  private final SequencerConfig config;

  public SequenceChanges(SequencerConfig config) {
    this.config = config;
  }

  @Override
  public PCollection<Envelope> expand(PCollection<KV<String, SequencerInput>> input) {
    return input
        .apply("Sequence", ParDo.of(new SequencerFn(config)))
        .setCoder(EnvelopeCoder.of());
  }
}
