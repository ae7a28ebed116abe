package dev.reverserepl.ordering.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.ordering.TestChanges;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Rules U1..U2 of the module README: what a sequencer key keeps in state means the same to a job
 * started with {@code --update} and options that differ from the old job's ({@code epoch} defaults
 * to launch time, so an updated job always has a new one; {@code sequencerBucketMillis} may
 * change).
 */
class SequencerUpdateTest {
  private static final long T0 = 1_700_000_000_000L; // epoch millis
  private static final long OLD_EPOCH = 1_000;
  private static final long NEW_EPOCH = 2_000;

  @Test
  void ruleU1_aKeyKeepsItsEpochAndSequenceAcrossAnUpdate() {
    // state as the old job left it: epoch 1000, sequences 1..41 published, slices numbered through
    // T0 + 5 s
    KeyProgress stored = new KeyProgress(OLD_EPOCH, 42, T0 + 5_000);
    SliceNumbering updated = new SliceNumbering(NEW_EPOCH);
    SliceNumbering.Result r =
        updated.number(stored, List.of(new SliceCount(T0 + 5_000, T0 + 6_000, 3)), T0 + 5_999);
    assertEquals(
        List.of(new SliceNumber(OLD_EPOCH, 42, new SliceCount(T0 + 5_000, T0 + 6_000, 3))),
        r.numbers());
    assertEquals(new KeyProgress(OLD_EPOCH, 45, T0 + 6_000), r.progress());

    List<Change> slice = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slice.add(
          TestChanges.change(
              "t", ModKind.UPDATE, i, (T0 + 5_100 + i) * 1_000_000L, "tx" + i, 0, 0));
    }
    SliceSequencer sequencer = new SliceSequencer(SequencerConfig.defaults(NEW_EPOCH));
    List<Envelope> envelopes =
        sequencer.sequence(new SequencerKey("shard1", 0), slice, r.numbers().get(0)).envelopes();
    assertEquals(1, envelopes.size());
    assertEquals(OLD_EPOCH, envelopes.get(0).epoch(), "the updated job continues the key's epoch");
    assertEquals(42, envelopes.get(0).firstSequence());
    assertEquals(44, envelopes.get(0).lastSequence());
    System.out.printf(
        "ruleU1: after the update key shard1#0 publishes epoch %d sequences %d..%d (launch epoch %d unused)%n",
        envelopes.get(0).epoch(),
        envelopes.get(0).firstSequence(),
        envelopes.get(0).lastSequence(),
        NEW_EPOCH);
  }

  @Test
  void ruleU1_aNewEpochBeginsOnlyWhereAKeyHasNoState() {
    SliceNumbering.Result r =
        new SliceNumbering(NEW_EPOCH)
            .number(null, List.of(new SliceCount(T0, T0 + 1_000, 2)), T0 + 999);
    assertEquals(
        List.of(new SliceNumber(NEW_EPOCH, 1, new SliceCount(T0, T0 + 1_000, 2))), r.numbers());
    assertEquals(new KeyProgress(NEW_EPOCH, 3, T0 + 1_000), r.progress());
  }

  @Test
  void ruleU2_sliceStateMeansTheSameAfterTheBucketWidthChanges() {
    // the old job (1 s slices) left two counted slices waiting; the updated job (5 s slices) adds
    // one of its own
    KeyProgress stored = new KeyProgress(OLD_EPOCH, 10, T0);
    List<SliceCount> waiting =
        List.of(
            new SliceCount(T0 + 5_000, T0 + 10_000, 4),
            new SliceCount(T0 + 1_000, T0 + 2_000, 3),
            new SliceCount(T0, T0 + 1_000, 2));
    SliceNumbering.Result early = new SliceNumbering(NEW_EPOCH).number(stored, waiting, T0 + 1_999);
    assertEquals(
        List.of(10L, 12L),
        early.numbers().stream().map(SliceNumber::firstSeq).toList(),
        "the old job's slices are due by their own end times");
    assertEquals(List.of(new SliceCount(T0 + 5_000, T0 + 10_000, 4)), early.waiting());
    SliceNumbering.Result later =
        new SliceNumbering(NEW_EPOCH).number(early.progress(), early.waiting(), T0 + 9_999);
    assertEquals(15, later.numbers().get(0).firstSeq());
    assertEquals(new KeyProgress(OLD_EPOCH, 19, T0 + 10_000), later.progress());
    assertEquals(T0 * 1_000_000L + 2_000_000_000L - 1, early.numbers().get(1).throughNanos());

    // a number made for a 1 s slice lands in exactly that slice's window in a job with 5 s slices,
    // so it meets
    // the slice's changes in the join
    SliceWindows fiveSeconds = SliceWindows.of(5_000);
    IntervalWindow w =
        only(fiveSeconds, KV.of("shard1#0", early.numbers().get(1)), new Instant(T0 + 1_999));
    assertEquals(new IntervalWindow(new Instant(T0 + 1_000), new Instant(T0 + 2_000)), w);
    IntervalWindow changeWindow =
        only(
            fiveSeconds,
            KV.of(
                "shard1#0",
                SequencerInput.of(
                    TestChanges.change(
                        "t", ModKind.INSERT, 1, (T0 + 7_000) * 1_000_000L, "a", 0, 0))),
            new Instant(T0 + 7_000));
    assertEquals(
        new IntervalWindow(new Instant(T0 + 5_000), new Instant(T0 + 10_000)), changeWindow);
    System.out.printf(
        "ruleU2: slices of 1 s and 5 s numbered in commit-time order: %s then %s%n",
        early.numbers(), later.numbers());
  }

  private static IntervalWindow only(SliceWindows fn, Object element, Instant timestamp) {
    try {
      var windows =
          fn.assignWindows(
              fn.new AssignContext() {
                @Override
                public Object element() {
                  return element;
                }

                @Override
                public Instant timestamp() {
                  return timestamp;
                }

                @Override
                public GlobalWindow window() {
                  return GlobalWindow.INSTANCE;
                }
              });
      assertEquals(1, windows.size());
      return windows.iterator().next();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
