package dev.reverserepl.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

public class SubmissionTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void ruleM1_aRunningJobIsSubmittedOnceAndNeverWaitedOn() {
    AtomicInteger submissions = new AtomicInteger();
    int status =
        submit(
            () -> {
              submissions.incrementAndGet();
              return new NeverFinishes(PipelineResult.State.RUNNING);
            });
    assertEquals(Submission.SUBMITTED, status);
    assertEquals(1, submissions.get());
    assertEquals("job: submitted (state RUNNING)\n", text(out));
    assertEquals("", text(err));
  }

  @Test
  void ruleM2_exitStatusSaysWhetherSubmissionWorked() {
    assertEquals(
        Submission.SUBMITTED, submit(() -> new NeverFinishes(PipelineResult.State.UNKNOWN)));
    assertEquals(
        Submission.SUBMISSION_FAILED, submit(() -> new NeverFinishes(PipelineResult.State.FAILED)));
    assertTrue(text(err).contains("ERROR: job: job is FAILED right after submission"), text(err));
    assertEquals(
        Submission.SUBMISSION_FAILED,
        submit(
            () -> {
              throw new IllegalStateException("403 Forbidden from dataflow.googleapis.com:443");
            }));
    assertTrue(
        text(err).contains("ERROR: job: submission failed: java.lang.IllegalStateException: 403"),
        text(err));
    assertEquals(
        Submission.BAD_INPUT,
        submit(
            () -> {
              throw new ConfigException("shards.json", "", "host", "missing");
            }));
    assertTrue(text(err).contains("shards.json"), text(err));
  }

  private int submit(java.util.function.Supplier<PipelineResult> run) {
    return Submission.submit(
        "job",
        run,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream s) {
    return s.toString(StandardCharsets.UTF_8);
  }

  /** A streaming job as Dataflow returns it: waiting on it would never return. */
  public static final class NeverFinishes implements PipelineResult {
    private final State state;

    public NeverFinishes(State state) {
      this.state = state;
    }

    @Override
    public State getState() {
      return state;
    }

    @Override
    public State cancel() {
      throw new AssertionError("cancel() called");
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      throw new AssertionError("waitUntilFinish(duration) called");
    }

    @Override
    public State waitUntilFinish() {
      throw new AssertionError("waitUntilFinish() called");
    }

    @Override
    public MetricResults metrics() {
      throw new AssertionError("metrics() called");
    }
  }
}
