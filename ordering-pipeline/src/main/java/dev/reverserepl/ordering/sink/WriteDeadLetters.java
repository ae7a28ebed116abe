package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Appends dead letters to a dead-letter directory (local or gs://), one JSON line each; with no
 * directory each is logged in full instead, so an unroutable change is never dropped silently.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String directory;

  private WriteDeadLetters(String directory) {
    this.directory = directory;
  }

  public static WriteDeadLetters to(String directory) {
    return new WriteDeadLetters(directory);
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    if (directory == null || directory.isEmpty()) {
      deadLetters.apply("LogDeadLetters", ParDo.of(new LogFn()));
    } else {
      deadLetters.apply("WriteDeadLetters", ParDo.of(new WriteFn(new DeadLetterQueue(directory))));
    }
    return PDone.in(deadLetters.getPipeline());
  }

  static final class WriteFn extends DoFn<DeadLetter, Void> {
    private final DeadLetterQueue queue;

    WriteFn(DeadLetterQueue queue) {
      this.queue = queue;
    }

    @ProcessElement
    public void process(@Element DeadLetter d) {
      queue.write(d);
    }
  }

  static final class LogFn extends DoFn<DeadLetter, Void> {
    private static final org.slf4j.Logger LOG =
        org.slf4j.LoggerFactory.getLogger(WriteDeadLetters.class);

    @ProcessElement
    public void process(@Element DeadLetter d) {
      LOG.error("Dead letter (no deadLetterQueueDirectory set): {}", DeadLetterQueue.toJsonLine(d));
    }
  }
}
