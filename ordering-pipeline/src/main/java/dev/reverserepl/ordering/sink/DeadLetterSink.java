package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes routing dead letters to the dead-letter directory (one durable file per bundle), or, when no directory is
 * configured, logs each one in full: an unroutable change is never dropped silently.
 */
public final class DeadLetterSink extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String directory;

  public DeadLetterSink(String directory) {
    this.directory = directory;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    deadLetters.apply("WriteDeadLetters", ParDo.of(new WriteFn(directory)));
    return PDone.in(deadLetters.getPipeline());
  }

  static final class WriteFn extends DoFn<DeadLetter, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);
    private final String directory;
    private transient List<DeadLetter> bundle;

    WriteFn(String directory) {
      this.directory = directory;
    }

    @StartBundle
    public void start() {
      bundle = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element DeadLetter d) {
      bundle.add(d);
    }

    @FinishBundle
    public void finish() {
      if (bundle.isEmpty()) {
        return;
      }
      if (directory == null || directory.isEmpty()) {
        for (DeadLetter d : bundle) {
          LOG.error("Unroutable change (no deadLetterQueueDirectory set): {}", DeadLetterQueue.toJsonLine(d));
        }
      } else {
        new DeadLetterQueue(directory).writeAll(bundle);
      }
      bundle.clear();
    }
  }
}
