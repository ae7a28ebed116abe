package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.envelope.EnvelopeHandOff;
import dev.reverserepl.launcher.operate.ShardError;
import dev.reverserepl.ordering.sink.HandOffSink;
import dev.reverserepl.writer.source.HandOffEnvelopeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

/**
 * {@code rr replay --buffer none}: ordering and writer pipelines side by side on the DirectRunner,
 * envelopes handed over in this process. Every envelope reaches the writer once, and a failure on
 * either side ends both with that side's own error instead of a wait.
 */
class SideBySideTest {
  private static final int N = 3_000;

  private static Envelope marker(long n) {
    return new Envelope("s1", 0, 1, n + 1, n, n, List.of());
  }

  private static PCollection<Envelope> markers(Pipeline p, int n) {
    return p.apply(Create.of(LongStream.range(0, n).boxed().toList()).withCoder(VarLongCoder.of()))
        .apply(MapElements.into(TypeDescriptor.of(Envelope.class)).via(SideBySideTest::marker))
        .setCoder(EnvelopeCoder.of());
  }

  @Test
  void everyEnvelopeHandedOffReachesTheWriterPipelineOnce() {
    try (EnvelopeHandOff handOff = EnvelopeHandOff.open(50)) {
      Pipeline w = Pipeline.create(ReplayPipelines.directOptions());
      PCollection<Envelope> read = w.apply(HandOffEnvelopeSource.from(handOff.id()));
      List<Envelope> all = new ArrayList<>();
      for (long i = 0; i < N; i++) {
        all.add(marker(i));
      }
      PAssert.that(read).containsInAnyOrder(all);
      Pipeline o = Pipeline.create(ReplayPipelines.directOptions());
      markers(o, N).apply(HandOffSink.to(handOff.id()));
      PipelineResult rw = w.run();
      PipelineResult ro = o.run();
      assertTimeoutPreemptively(
          Duration.ofSeconds(120), () -> ReplayPipelines.awaitSideBySide(ro, rw, handOff));
      assertTrue(handOff.peakHeld() <= 50, "held " + handOff.peakHeld());
    }
  }

  @Test
  void aFailingWriterEndsTheOrderingSideWithItsOwnError() {
    try (EnvelopeHandOff handOff = EnvelopeHandOff.open(5)) {
      Pipeline w = Pipeline.create(ReplayPipelines.directOptions());
      w.apply(HandOffEnvelopeSource.from(handOff.id())).apply(ParDo.of(new RefuseFn()));
      Pipeline o = Pipeline.create(ReplayPipelines.directOptions());
      markers(o, N).apply(HandOffSink.to(handOff.id()));
      assertBothEndWith(o, w, handOff, "shard s1 refused the write");
    }
  }

  @Test
  void aFailingOrderingSideEndsTheWriterWithItsOwnError() {
    try (EnvelopeHandOff handOff = EnvelopeHandOff.open(5)) {
      Pipeline w = Pipeline.create(ReplayPipelines.directOptions());
      w.apply(HandOffEnvelopeSource.from(handOff.id()));
      Pipeline o = Pipeline.create(ReplayPipelines.directOptions());
      markers(o, N)
          .apply(ParDo.of(new BreakAtFn()))
          .setCoder(EnvelopeCoder.of())
          .apply(HandOffSink.to(handOff.id()));
      assertBothEndWith(o, w, handOff, "line 7: malformed");
    }
  }

  /** Runs both; the wait ends with the failing side's own error and both pipelines end. */
  private static void assertBothEndWith(
      Pipeline ordering, Pipeline writer, EnvelopeHandOff handOff, String error) {
    PipelineResult rw = writer.run();
    PipelineResult ro = ordering.run();
    RuntimeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(120),
            () ->
                assertThrows(
                    RuntimeException.class,
                    () -> ReplayPipelines.awaitSideBySide(ro, rw, handOff)));
    assertTrue(ShardError.cause(e).contains(error), ShardError.cause(e));
    assertTrue(ro.getState().isTerminal() && rw.getState().isTerminal());
  }

  static final class RefuseFn extends DoFn<Envelope, Void> {
    @ProcessElement
    public void process(@Element Envelope e) {
      throw new IllegalStateException("shard s1 refused the write of " + e.lastSequence());
    }
  }

  static final class BreakAtFn extends DoFn<Envelope, Envelope> {
    @ProcessElement
    public void process(@Element Envelope e, OutputReceiver<Envelope> out) {
      if (e.lastSequence() == N / 2) {
        throw new IllegalArgumentException("changes.jsonl line 7: malformed");
      }
      out.output(e);
    }
  }
}
