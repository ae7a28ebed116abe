package dev.reverserepl.ordering.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.ordering.TestChanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Rule S2's grouping unit: a slice's changes travel to the join as packs of one key and one slice,
 * each a few bytes arrays, and come out of them exactly as they went in.
 */
class SlicePackTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void ruleS2_aSlicePackGivesBackItsChangesInTheOrderTheyWerePacked() throws Exception {
    SlicePack.Builder b = new SlicePack.Builder();
    List<Change> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Change c =
          TestChanges.change(
              "t" + (i % 3), ModKind.values()[i % 3], i, T0 * 1_000_000 + i, "tx" + i, i, 0);
      in.add(c);
      b.add(c);
    }
    SlicePack pack = b.build();
    SlicePack copy =
        CoderUtils.clone(SlicePack.Coder.of(), pack); // as a runner's shuffle or state would
    List<Change> out = new ArrayList<>();
    copy.unpackInto(out);
    assertEquals(in, out);
    assertEquals(0, new SlicePack.Builder().build().changes());
    assertThrows(IllegalArgumentException.class, () -> new SlicePack(-1, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new SlicePack(0, new byte[] {1}));
    SlicePack truncated = new SlicePack(2, java.util.Arrays.copyOf(pack.encoded(), 10));
    assertThrows(RuntimeException.class, () -> truncated.unpackInto(new ArrayList<>()));
  }

  @Test
  void ruleS2_eachPackHoldsOneKeyAndOneSliceAndLeavesAtItsSizeLimit() {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setBlockOnRun(true);
    Pipeline p = Pipeline.create(o);
    // 3 keys x 4 slices of 1 s; values large enough that one slice of a key needs several packs
    String big = "x".repeat(40_000);
    List<TimestampedValue<KV<String, SequencerInput>>> inputs = new ArrayList<>();
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 600; i++) {
      String key = "s" + (i % 3) + "#0";
      long millis = T0 + (i % 4) * 1000 + i % 997;
      Change c =
          new Change(
              "t",
              ModKind.UPDATE,
              "{\"id\":\"" + i + "\"}",
              "{\"v\":\"" + big + "\"}",
              new dev.reverserepl.common.change.ChangePosition(millis * 1_000_000, "tx", i, 0),
              "",
              1);
      inputs.add(TimestampedValue.of(KV.of(key, SequencerInput.of(c)), new Instant(millis)));
      expected.merge(key + "@" + sliceStart(millis), 1, Integer::sum);
    }
    // a key whose slice holds only a tick still gets a pack (of none)
    inputs.add(TimestampedValue.of(KV.of("idle#0", SequencerInput.tick()), new Instant(T0 + 500)));
    expected.put("idle#0@" + T0, 0);
    PCollection<String> packs =
        p.apply(
                Create.timestamped(inputs)
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), SequencerInputCoder.of())))
            .apply(Window.into(SliceWindows.of(1000)))
            .apply(ParDo.of(new PackSliceFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SlicePack.Coder.of()))
            .apply(ParDo.of(new DescribeFn()));
    PAssert.that(packs)
        .satisfies(
            described -> {
              Map<String, Integer> got = new HashMap<>();
              for (String d : described) {
                String[] f = d.split(" ");
                int changes = Integer.parseInt(f[1]);
                int bytes = Integer.parseInt(f[2]);
                // one change past the limit at most: a pack leaves once it reaches the limit
                assertTrue(bytes < PackSliceFn.MAX_PACK_BYTES + 50_000, d);
                assertTrue(Boolean.parseBoolean(f[3]), "a change outside its pack's slice: " + d);
                got.merge(f[0], changes, Integer::sum);
              }
              assertEquals(expected, got);
              assertTrue(described.spliterator().getExactSizeIfKnown() != 0);
              return null;
            });
    p.run();
  }

  private static long sliceStart(long millis) {
    return millis - Math.floorMod(millis, 1000L);
  }

  /** "key@sliceStart changes bytes allInSlice" of one pack. */
  private static final class DescribeFn extends DoFn<KV<String, SlicePack>, String> {
    @ProcessElement
    public void process(
        @Element KV<String, SlicePack> e, BoundedWindow w, OutputReceiver<String> out) {
      IntervalWindow slice = (IntervalWindow) w;
      List<Change> changes = new ArrayList<>();
      e.getValue().unpackInto(changes);
      boolean inSlice = true;
      for (Change c : changes) {
        long millis = c.position().commitNanos() / 1_000_000;
        inSlice &= millis >= slice.start().getMillis() && millis < slice.end().getMillis();
      }
      out.output(
          e.getKey()
              + "@"
              + slice.start().getMillis()
              + " "
              + e.getValue().changes()
              + " "
              + e.getValue().encoded().length
              + " "
              + inSlice);
    }
  }
}
