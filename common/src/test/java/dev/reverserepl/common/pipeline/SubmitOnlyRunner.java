package dev.reverserepl.common.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A runner that behaves as Dataflow does for a streaming job: {@code run} returns at once with a
 * {@code RUNNING} result that would never finish (waiting on it fails the test). {@code --runner=}
 * its class name.
 */
public final class SubmitOnlyRunner extends PipelineRunner<PipelineResult> {
  /** Pipelines submitted since the JVM started. */
  public static final AtomicInteger SUBMITTED = new AtomicInteger();

  public static SubmitOnlyRunner fromOptions(PipelineOptions options) {
    return new SubmitOnlyRunner();
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    SUBMITTED.incrementAndGet();
    return new SubmissionTest.NeverFinishes(PipelineResult.State.RUNNING);
  }
}
