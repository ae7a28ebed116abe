package dev.reverserepl.ordering;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.envelope.Envelope;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** The ordered envelopes for the buffer, and the changes whose shard could not be resolved. */
public final class OrderingResult implements POutput {
  private static final TupleTag<Envelope> ENVELOPES = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final Pipeline pipeline;
  private final PCollection<Envelope> envelopes;
  private final PCollection<DeadLetter> deadLetters;

  OrderingResult(
      Pipeline pipeline, PCollection<Envelope> envelopes, PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.envelopes = envelopes;
    this.deadLetters = deadLetters;
  }

  public PCollection<Envelope> envelopes() {
    return envelopes;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(ENVELOPES, envelopes, DEAD_LETTERS, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
