package dev.reverserepl.writer.source;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.envelope.ClaimCheck;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.writer.metrics.WriterMetrics;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Decodes buffer messages (key: the shard the message claims to be for, may be null; value: the
 * payload). A message that is not a valid envelope is written to the dead-letter queue with the
 * reason and its payload, and counted. A claim-check reference (an envelope too large for the
 * buffer, rule 15) is resolved by fetching the envelope it names; a missing or mismatching file is
 * dead-lettered the same way, a failing read is retried.
 */
public final class DecodeEnvelopeFn extends DoFn<KV<String, byte[]>, Envelope> {
  private final String deadLetterDirectory;
  private transient DeadLetterQueue deadLetters;
  private transient long newestPublishedThrough;
  private final org.apache.beam.sdk.metrics.Gauge newest =
      org.apache.beam.sdk.metrics.Metrics.gauge(
          WriterMetrics.NAMESPACE, WriterMetrics.NEWEST_PUBLISHED_THROUGH);

  public DecodeEnvelopeFn(String deadLetterDirectory) {
    this.deadLetterDirectory = deadLetterDirectory;
  }

  @Setup
  public void setup() {
    deadLetters = new DeadLetterQueue(deadLetterDirectory);
  }

  @ProcessElement
  public void process(@Element KV<String, byte[]> message, OutputReceiver<Envelope> out) {
    byte[] payload = message.getValue() == null ? new byte[0] : message.getValue();
    try {
      Envelope e = ClaimCheck.decode(payload);
      // The ordering job's markers say how far it has read Spanner: the cut-back target of a run
      // with this writer.
      if (e.publishedThroughNanos() / 1_000_000 > newestPublishedThrough) {
        newestPublishedThrough = e.publishedThroughNanos() / 1_000_000;
        newest.set(newestPublishedThrough);
      }
      out.output(e);
    } catch (UncheckedIOException e) {
      // A claim-check file that cannot be read right now: fail the bundle so that the runner
      // retries it.
      throw e;
    } catch (RuntimeException e) {
      deadLetters.write(
          DeadLetter.undecodable(
              message.getKey(),
              new String(payload, StandardCharsets.UTF_8),
              "undecodable envelope: " + e.getMessage(),
              Instant.now()));
      WriterMetrics.counter(WriterMetrics.UNDECODABLE).inc();
    }
  }
}
