package dev.reverserepl.writer;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.resequence.ResequenceAndApplyFn;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Envelopes in, rows in MySQL out: keys every envelope by {@code shard#partition}, resequences and
 * applies in one stateful step. Usable in any pipeline that has envelopes, e.g. the local runner
 * wiring ordering and writer together without a buffer.
 */
public final class ApplyEnvelopes extends PTransform<PCollection<Envelope>, WriterResult> {
  private final WriterConfig config;

  private ApplyEnvelopes(WriterConfig config) {
    this.config = config;
  }

  public static ApplyEnvelopes with(WriterConfig config) {
    return new ApplyEnvelopes(config);
  }

  @Override
  public WriterResult expand(PCollection<Envelope> envelopes) {
    PCollection<KV<String, Envelope>> keyed =
        envelopes
            .apply(
                "KeyByShardPartition",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(Envelope.class)))
                    .via(e -> KV.of(ResequenceAndApplyFn.key(e), e)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), EnvelopeCoder.of()));
    PCollection<ApplySummary> summaries =
        keyed
            .apply("ResequenceAndApply", ParDo.of(new ResequenceAndApplyFn(config)))
            .setCoder(SerializableCoder.of(ApplySummary.class));
    return new WriterResult(envelopes.getPipeline(), summaries);
  }
}
