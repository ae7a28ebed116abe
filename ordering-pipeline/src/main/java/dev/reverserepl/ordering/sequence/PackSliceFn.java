package dev.reverserepl.ordering.sequence;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Packs a bundle's changes per key and slice ({@link SlicePack}) before they are grouped: one
 * element per key, slice and bundle instead of one per change. Holds nothing across bundles; a pack
 * leaves early when it reaches {@link #MAX_PACK_BYTES}, so what a bundle holds at once is bounded
 * by the bundle itself. A pack carries the latest timestamp of what it holds, inside its slice.
 */
final class PackSliceFn extends DoFn<KV<String, SequencerInput>, KV<String, SlicePack>> {
  static final int MAX_PACK_BYTES = 1 << 20;

  private record Slot(String key, BoundedWindow window) {}

  private static final class Open {
    final SlicePack.Builder pack = new SlicePack.Builder();
    Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  private transient Map<Slot, Open> open;

  @StartBundle
  public void startBundle() {
    open = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element KV<String, SequencerInput> element,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      OutputReceiver<KV<String, SlicePack>> out) {
    Slot slot = new Slot(element.getKey(), window);
    Open o = open.computeIfAbsent(slot, s -> new Open());
    if (timestamp.isAfter(o.latest)) {
      o.latest = timestamp;
    }
    SequencerInput in = element.getValue();
    if (in.isTick()) {
      return;
    }
    o.pack.add(in.change());
    if (o.pack.size() >= MAX_PACK_BYTES) {
      open.remove(slot);
      // o.latest is this element's timestamp or later, as an output here must be
      out.outputWithTimestamp(KV.of(slot.key(), o.pack.build()), o.latest);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (Map.Entry<Slot, Open> e : open.entrySet()) {
      Slot slot = e.getKey();
      c.output(KV.of(slot.key(), e.getValue().pack.build()), e.getValue().latest, slot.window());
    }
    open = null;
  }
}
