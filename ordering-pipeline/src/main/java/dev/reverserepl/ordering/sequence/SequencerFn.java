package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.ordering.OrderingMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded-memory sequencer of one {@code shard#partition} key.
 *
 * <p>Changes are appended to a {@link MapState} under {@code "bucket:i"} (an O(1) write, no read-modify-write of a
 * growing list), with a per-bucket count; a bucket is a commit-time interval of {@code bucketMillis}. An event-time
 * timer waits at the end of the lowest open bucket. The source is never late, so once the watermark passes that end
 * the bucket is complete: the timer reads exactly that one bucket (the slice), sorts it, numbers it gaplessly from
 * the key's next sequence, emits it as envelopes, clears it and re-arms for the next open bucket. At most one slice
 * is in memory at a time, whatever the backlog.
 *
 * <p>A tick (heartbeat) opens an empty bucket; flushing an empty bucket publishes a progress marker, so idle keys
 * still report "everything up to T is published".
 */
public final class SequencerFn extends DoFn<KV<String, SequencerInput>, Envelope> {
  private static final Logger LOG = LoggerFactory.getLogger(SequencerFn.class);

  private final SequencerConfig config;
  private transient SliceSequencer sequencer;

  private final Distribution sliceSize = Metrics.distribution(OrderingMetrics.NAMESPACE, OrderingMetrics.SLICE_SIZE);
  private final Counter sequenced = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.SEQUENCED);
  private final Counter envelopes = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.ENVELOPES);
  private final Counter markers = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.MARKERS);
  private final Counter late = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.LATE_CHANGES);

  @StateId("counts")
  private final StateSpec<MapState<Long, Integer>> countsSpec = StateSpecs.map(VarLongCoder.of(), VarIntCoder.of());

  @StateId("entries")
  private final StateSpec<MapState<String, Change>> entriesSpec = StateSpecs.map(StringUtf8Coder.of(), ChangeCoder.of());

  @StateId("lowest")
  private final StateSpec<ValueState<Long>> lowestSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("flushedThrough")
  private final StateSpec<ValueState<Long>> flushedThroughSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("nextSeq")
  private final StateSpec<ValueState<Long>> nextSeqSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("flush")
  private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  public SequencerFn(SequencerConfig config) {
    this.config = config;
  }

  @Setup
  public void setup() {
    sequencer = new SliceSequencer(config);
  }

  @ProcessElement
  public void process(
      @Element KV<String, SequencerInput> element,
      @Timestamp Instant timestamp,
      @StateId("counts") MapState<Long, Integer> counts,
      @StateId("entries") MapState<String, Change> entries,
      @StateId("lowest") ValueState<Long> lowest,
      @StateId("flushedThrough") ValueState<Long> flushedThrough,
      @TimerId("flush") Timer flush) {
    Long flushed = flushedThrough.read();
    SequencerInput in = element.getValue();
    long bucket;
    if (in.isTick()) {
      bucket = config.bucketOf(timestamp.getMillis());
      if (flushed != null && bucket <= flushed) {
        return; // a later flush already published past this tick
      }
      if (counts.get(bucket).read() == null) {
        counts.put(bucket, 0);
      }
    } else {
      bucket = config.bucketOf(Math.floorDiv(in.change().position().commitNanos(), 1_000_000L));
      if (flushed != null && bucket <= flushed) {
        late.inc();
        LOG.warn(
            "change of {} at {} arrived after its commit-time bucket was published; sequencing it next",
            element.getKey(), in.change().position());
        bucket = flushed + 1;
      }
      Integer n = counts.get(bucket).read();
      int index = n == null ? 0 : n;
      entries.put(entryKey(bucket, index), in.change());
      counts.put(bucket, index + 1);
    }
    Long low = lowest.read();
    if (low == null || bucket < low) {
      lowest.write(bucket);
      flush.set(new Instant(config.bucketLastMillis(bucket)));
    }
  }

  @OnTimer("flush")
  public void onFlush(
      OnTimerContext ctx,
      @Key String keyString,
      @StateId("counts") MapState<Long, Integer> counts,
      @StateId("entries") MapState<String, Change> entries,
      @StateId("lowest") ValueState<Long> lowest,
      @StateId("flushedThrough") ValueState<Long> flushedThrough,
      @StateId("nextSeq") ValueState<Long> nextSeq,
      @TimerId("flush") Timer flush,
      OutputReceiver<Envelope> out) {
    Long bucket = lowest.read();
    if (bucket == null) {
      return;
    }
    if (config.bucketLastMillis(bucket) > ctx.timestamp().getMillis()) {
      flush.set(new Instant(config.bucketLastMillis(bucket)));
      return;
    }
    Integer n = counts.get(bucket).read();
    int size = n == null ? 0 : n;
    List<ReadableState<Change>> cells = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      cells.add(entries.get(entryKey(bucket, i)).readLater());
    }
    List<Change> slice = new ArrayList<>(size);
    for (ReadableState<Change> cell : cells) {
      slice.add(cell.read());
    }
    cells.clear();
    Long next = nextSeq.read();
    SequencerKey key = SequencerKey.parse(keyString);
    SliceSequencer.Result r =
        sequencer.sequence(key, slice, next == null ? 1 : next, config.bucketThroughNanos(bucket));
    sliceSize.update(size);
    sequenced.inc(size);
    for (Envelope e : r.envelopes()) {
      (e.isMarker() ? markers : envelopes).inc();
      out.output(e);
    }
    for (int i = 0; i < size; i++) {
      entries.remove(entryKey(bucket, i));
    }
    counts.remove(bucket);
    nextSeq.write(r.nextSequence());
    flushedThrough.write(bucket);

    Long nextBucket = null;
    for (Long b : counts.keys().read()) {
      if (nextBucket == null || b < nextBucket) {
        nextBucket = b;
      }
    }
    if (nextBucket == null) {
      lowest.clear();
    } else {
      lowest.write(nextBucket);
      flush.set(new Instant(config.bucketLastMillis(nextBucket)));
    }
  }

  private static String entryKey(long bucket, int index) {
    return bucket + ":" + index;
  }
}
