package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.ordering.OrderingMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * One closed slice of one key — its changes and ticks joined with its {@link SliceNumber} — in, its
 * envelopes out: sorted into commit order, numbered from the slice's first sequence in the key's
 * epoch, batched. This is the only place changes are materialised, one slice at a time.
 */
final class SequenceSliceFn extends DoFn<KV<String, CoGbkResult>, Envelope> {
  private final SequencerConfig config;
  private final TupleTag<SlicePack> inputs;
  private final TupleTag<SliceNumber> numbers;
  private transient SliceSequencer sequencer;

  private final Distribution sliceSize =
      Metrics.distribution(OrderingMetrics.NAMESPACE, OrderingMetrics.SLICE_SIZE);
  private final Counter sequenced =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.SEQUENCED);
  private final Counter envelopes =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.ENVELOPES);
  private final Counter markers =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.MARKERS);

  SequenceSliceFn(
      SequencerConfig config, TupleTag<SlicePack> inputs, TupleTag<SliceNumber> numbers) {
    this.config = config;
    this.inputs = inputs;
    this.numbers = numbers;
  }

  @Setup
  public void setup() {
    sequencer = new SliceSequencer(config);
  }

  @ProcessElement
  public void process(
      @Element KV<String, CoGbkResult> element,
      BoundedWindow window,
      OutputReceiver<Envelope> out) {
    CoGbkResult joined = element.getValue();
    Iterator<SliceNumber> numbered = joined.getAll(numbers).iterator();
    if (!numbered.hasNext()) {
      throw new IllegalStateException(
          "slice "
              + window
              + " of "
              + element.getKey()
              + " reached the join without its sequence numbers");
    }
    SliceNumber number = numbered.next();
    if (numbered.hasNext()) {
      throw new IllegalStateException(
          "slice " + window + " of " + element.getKey() + " was numbered twice");
    }
    List<Change> slice =
        new ArrayList<>((int) Math.min(number.slice().changes(), Integer.MAX_VALUE));
    for (SlicePack pack : joined.getAll(inputs)) {
      pack.unpackInto(slice);
    }
    if (slice.size() != number.slice().changes()) {
      throw new IllegalStateException(
          "slice "
              + window
              + " of "
              + element.getKey()
              + " holds "
              + slice.size()
              + " changes but was numbered for "
              + number.slice().changes());
    }
    SliceSequencer.Result r =
        sequencer.sequence(SequencerKey.parse(element.getKey()), slice, number);
    sliceSize.update(slice.size());
    sequenced.inc(slice.size());
    for (Envelope e : r.envelopes()) {
      (e.isMarker() ? markers : envelopes).inc();
      out.output(e);
    }
  }
}
