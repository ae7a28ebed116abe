package dev.reverserepl.writer.source;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.envelope.EnvelopeHandOff;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Reads the envelopes an ordering pipeline in this process hands off ({@link EnvelopeHandOff}), as
 * a subscription delivers them: stamped with the time they were taken, the watermark following the
 * clock, the read ending once the ordering side finished and everything was taken. A failure on the
 * ordering side fails this read. Envelopes come a batch at a time, because the DirectRunner's cost
 * is per element of a read more than per envelope; nothing is taken before it is handed on, so a
 * reader the runner recreates from its checkpoint misses nothing.
 */
public final class HandOffEnvelopeSource extends PTransform<PBegin, PCollection<Envelope>> {
  static final int BATCH = 20;
  static final long WAIT_MILLIS = 20;

  private final String handOffId;

  private HandOffEnvelopeSource(String handOffId) {
    this.handOffId = handOffId;
  }

  public static HandOffEnvelopeSource from(String handOffId) {
    return new HandOffEnvelopeSource(handOffId);
  }

  @Override
  public PCollection<Envelope> expand(PBegin begin) {
    return begin
        .apply("TakeHandedOff", Read.from(new Source(handOffId)))
        .apply("Unbatch", ParDo.of(new UnbatchFn()))
        .setCoder(EnvelopeCoder.of());
  }

  static final class UnbatchFn extends DoFn<List<Envelope>, Envelope> {
    @ProcessElement
    public void process(@Element List<Envelope> batch, OutputReceiver<Envelope> out) {
      batch.forEach(out::output);
    }
  }

  /** Nothing to remember: what was taken was handed on. */
  record Checkpoint() implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  static final class Source extends UnboundedSource<List<Envelope>, Checkpoint> {
    private final String handOffId;

    Source(String handOffId) {
      this.handOffId = handOffId;
    }

    @Override
    public List<Source> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<List<Envelope>> createReader(
        PipelineOptions options, Checkpoint checkpoint) {
      return new TakeReader(this, EnvelopeHandOff.find(handOffId));
    }

    @Override
    public Coder<Checkpoint> getCheckpointMarkCoder() {
      return SerializableCoder.of(Checkpoint.class);
    }

    @Override
    public Coder<List<Envelope>> getOutputCoder() {
      return ListCoder.of(EnvelopeCoder.of());
    }
  }

  private static final class TakeReader extends UnboundedSource.UnboundedReader<List<Envelope>> {
    private final Source source;
    private final EnvelopeHandOff handOff;
    private List<Envelope> current;
    private Instant taken = BoundedWindow.TIMESTAMP_MIN_VALUE;
    private boolean drained;

    TakeReader(Source source, EnvelopeHandOff handOff) {
      this.source = source;
      this.handOff = handOff;
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      current = null;
      List<Envelope> batch;
      try {
        batch = handOff.take(BATCH, WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while taking handed-off envelopes", e);
      }
      if (batch.isEmpty()) {
        drained = handOff.drained();
        return false;
      }
      current = batch;
      // the clock, never backwards: the watermark follows it
      taken = later(taken, Instant.now());
      return true;
    }

    private static Instant later(Instant a, Instant b) {
      return a.isAfter(b) ? a : b;
    }

    @Override
    public List<Envelope> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      getCurrent();
      return taken;
    }

    @Override
    public Instant getWatermark() {
      if (drained) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      // an idle hand-off moves the watermark with the clock, as a subscription's does; the next
      // envelope is stamped no earlier, even if the clock steps back
      if (current == null) {
        taken = later(taken, Instant.now());
      }
      return taken;
    }

    @Override
    public Checkpoint getCheckpointMark() {
      return new Checkpoint();
    }

    @Override
    public Source getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
