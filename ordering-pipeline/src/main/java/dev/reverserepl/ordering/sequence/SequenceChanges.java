package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keyed changes (key {@code shard#partition}, coder {@code KvCoder(StringUtf8Coder,
 * SequencerInputCoder)}) and ticks in, ordered gapless envelopes out — on the state kinds Dataflow
 * Runner v2 supports.
 *
 * <ol>
 *   <li>{@link SliceWindows}: every element falls in the commit-time slice of {@code bucketMillis}
 *       it belongs to.
 *   <li>{@link PackSliceFn}: a bundle's changes of one key and slice travel as one {@link
 *       SlicePack}.
 *   <li>Counting: per key and slice, the number of changes (a combine: no change is held for it);
 *       closed when the watermark passes the slice's end.
 *   <li>{@link NumberSlicesFn}: per key, in the global window, gives the closed slices their first
 *       sequence in commit-time order ({@code ValueState}, {@code BagState}, an event-time timer
 *       holding the watermark).
 *   <li>Join ({@code CoGroupByKey} in the slice's window) of each slice's changes with its number,
 *       and {@link SequenceSliceFn}: sort, number, batch. A slice is the only unit of changes ever
 *       materialised.
 * </ol>
 *
 * <p>The envelopes leave in the global window, as they arrived.
 */
public final class SequenceChanges
    extends PTransform<PCollection<KV<String, SequencerInput>>, PCollection<Envelope>> {
  private final SequencerConfig config;

  public SequenceChanges(SequencerConfig config) {
    this.config = config;
  }

  @Override
  public PCollection<Envelope> expand(PCollection<KV<String, SequencerInput>> input) {
    SliceWindows slices = SliceWindows.of(config.bucketMillis());
    PCollection<KV<String, SequencerInput>> sliced =
        input.apply("IntoSlices", Window.<KV<String, SequencerInput>>into(slices));
    PCollection<KV<String, SlicePack>> packed =
        sliced
            .apply("PackSlice", ParDo.of(new PackSliceFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SlicePack.Coder.of()));
    PCollection<KV<String, SliceNumber>> numbers =
        packed
            .apply(
                "ChangesPacked",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(SequenceChanges::changesPacked))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("CountSlice", Sum.longsPerKey())
            .apply("WithInterval", ParDo.of(new WithIntervalFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SliceCount.Coder.of()))
            .apply("AcrossSlices", Window.into(new GlobalWindows()))
            .apply("NumberSlices", ParDo.of(new NumberSlicesFn(config.epoch())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SliceNumber.Coder.of()))
            .apply("BackIntoSlices", Window.<KV<String, SliceNumber>>into(slices));
    TupleTag<SlicePack> inputTag = new TupleTag<>("inputs");
    TupleTag<SliceNumber> numberTag = new TupleTag<>("numbers");
    return KeyedPCollectionTuple.of(inputTag, packed)
        .and(numberTag, numbers)
        .apply("JoinSlice", CoGroupByKey.create())
        .apply("SequenceSlice", ParDo.of(new SequenceSliceFn(config, inputTag, numberTag)))
        .setCoder(EnvelopeCoder.of())
        // consumers (the writer's resequencer in-process, the sinks) keep their state across slices
        .apply("OutOfSlices", Window.<Envelope>into(new GlobalWindows()));
  }

  private static KV<String, Long> changesPacked(KV<String, SlicePack> kv) {
    return KV.of(kv.getKey(), (long) kv.getValue().changes());
  }

  /** Names each count's slice by its absolute interval, before the counts leave their windows. */
  static final class WithIntervalFn extends DoFn<KV<String, Long>, KV<String, SliceCount>> {
    @ProcessElement
    public void process(
        @Element KV<String, Long> count,
        BoundedWindow window,
        OutputReceiver<KV<String, SliceCount>> out) {
      IntervalWindow w = (IntervalWindow) window;
      out.output(
          KV.of(
              count.getKey(),
              new SliceCount(w.start().getMillis(), w.end().getMillis(), count.getValue())));
    }
  }
}
