package dev.reverserepl.common.pipeline;

import dev.reverserepl.common.config.ConfigException;
import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a Flex Template {@code main} does with its pipeline: submit it and return. On Dataflow
 * {@code run()} returns once the job is submitted; waiting for a streaming job would hold the
 * template launcher until it times out and then report success whatever happened. Local commands
 * that want a blocking run call the pipeline's {@code run} and wait themselves.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>M1: the pipeline is submitted once and never waited on: {@code waitUntilFinish} is not
 *       called.
 *   <li>M2: the exit status says whether submission worked: {@link #SUBMITTED} when {@code run}
 *       returned a result whose state is not {@code FAILED} or {@code CANCELLED}; {@link
 *       #BAD_INPUT} when the options or the files they name are invalid ({@link ConfigException},
 *       nothing submitted); {@link #SUBMISSION_FAILED} when {@code run} threw or the job failed at
 *       once. Every non-zero status prints one {@code ERROR:} line.
 * </ol>
 */
public final class Submission {
  public static final int SUBMITTED = 0;
  public static final int SUBMISSION_FAILED = 1;
  public static final int BAD_INPUT = 2;

  private Submission() {}

  /**
   * Rules M1, M2: runs {@code submit} once and returns the exit status; reports on {@code out} and
   * {@code err}.
   */
  public static int submit(
      String job, Supplier<PipelineResult> submit, PrintStream out, PrintStream err) {
    PipelineResult result;
    try {
      result = submit.get();
    } catch (ConfigException e) {
      err.println("ERROR: " + job + ": " + e.getMessage());
      return BAD_INPUT;
    } catch (RuntimeException e) {
      err.println("ERROR: " + job + ": submission failed: " + e);
      return SUBMISSION_FAILED;
    }
    PipelineResult.State state = result.getState();
    if (state == PipelineResult.State.FAILED || state == PipelineResult.State.CANCELLED) {
      err.println("ERROR: " + job + ": job is " + state + " right after submission");
      return SUBMISSION_FAILED;
    }
    out.println(job + ": submitted (state " + state + ")");
    return SUBMITTED;
  }
}
