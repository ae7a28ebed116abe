package dev.reverserepl.writer;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** The output of {@link ApplyEnvelopes}: one {@link ApplySummary} per applied run. */
public final class WriterResult implements POutput {
  static final TupleTag<ApplySummary> SUMMARIES = new TupleTag<>("summaries") {};
  private final Pipeline pipeline;
  private final PCollection<ApplySummary> summaries;

  WriterResult(Pipeline pipeline, PCollection<ApplySummary> summaries) {
    this.pipeline = pipeline;
    this.summaries = summaries;
  }

  public PCollection<ApplySummary> summaries() {
    return summaries;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(SUMMARIES, summaries);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
