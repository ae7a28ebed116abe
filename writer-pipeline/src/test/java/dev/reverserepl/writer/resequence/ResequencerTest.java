package dev.reverserepl.writer.resequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.writer.TestStreams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The resequencing rules (numbers as in the module README), without Beam or MySQL. */
class ResequencerTest {
  private static final AppliedPosition NOTHING = AppliedPosition.initial("s1", 0);

  private static List<Long> sequences(List<SequencedChange> run) {
    return run.stream().map(SequencedChange::sequence).toList();
  }

  @Test
  void rule1_onlyTheContiguousRunAfterTheLastReleasedSequenceIsReleased() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 500, 50, 1);
    List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(stream, 7));
    Collections.shuffle(envelopes, new Random(2));
    MemoryResequenceState state = new MemoryResequenceState();
    List<SequencedChange> released = new ArrayList<>();
    for (Envelope e : envelopes) {
      released.addAll(Resequencer.offer(state, e, () -> NOTHING).run());
    }
    assertEquals(sequences(stream), sequences(released));
    assertEquals(0, state.pendingCount());
  }

  @Test
  void rule2_duplicatesAtOrBelowTheLastReleasedSequenceAreDropped() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 300, 50, 3);
    List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(stream, 10));
    List<Envelope> delivered = new ArrayList<>(envelopes);
    delivered.addAll(envelopes);
    delivered.addAll(envelopes.subList(0, 5));
    Collections.shuffle(delivered, new Random(4));
    MemoryResequenceState state = new MemoryResequenceState();
    List<SequencedChange> released = new ArrayList<>();
    long duplicates = 0;
    for (Envelope e : delivered) {
      Release r = Resequencer.offer(state, e, () -> NOTHING);
      released.addAll(r.run());
      duplicates += r.duplicates();
    }
    assertEquals(sequences(stream), sequences(released));
    assertEquals(350, duplicates);
  }

  @Test
  void rule7_aHigherEpochRestartsTheSequenceAndOlderEpochsAreStale() {
    List<SequencedChange> e1 = TestStreams.randomStream("s1", 0, 1, 30, 10, 5);
    List<SequencedChange> e2 = TestStreams.randomStream("s1", 0, 2, 30, 10, 6);
    MemoryResequenceState state = new MemoryResequenceState();
    List<Envelope> one = TestStreams.envelopes(e1, 10);
    List<Envelope> two = TestStreams.envelopes(e2, 10);
    Resequencer.offer(state, one.get(0), () -> NOTHING);
    Resequencer.offer(state, one.get(2), () -> NOTHING);
    assertEquals(1, state.pendingCount());
    Release first = Resequencer.offer(state, two.get(0), () -> NOTHING);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), sequences(first.run()));
    assertEquals(2, first.epoch());
    assertEquals(0, state.pendingCount(), "the old epoch's buffer is dropped");
    Release stale = Resequencer.offer(state, one.get(1), () -> NOTHING);
    assertEquals(10, stale.staleEpoch());
    assertTrue(stale.run().isEmpty());
  }

  @Test
  void rule7_emptyStateStartsFromTheProgressRow() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 3, 40, 10, 7);
    AppliedPosition applied =
        new AppliedPosition(
            "s1", 0, 3, 20, stream.get(19).change().position(), 20, 0, Instant.now());
    MemoryResequenceState state = new MemoryResequenceState();
    List<Envelope> envelopes = TestStreams.envelopes(stream, 10);
    Release r1 = Resequencer.offer(state, envelopes.get(1), () -> applied);
    assertEquals(10, r1.duplicates());
    Release r2 = Resequencer.offer(state, envelopes.get(2), () -> applied);
    assertEquals(21, r2.run().get(0).sequence());
  }

  @Test
  void rule10_aMarkerCountsOnceEverythingBeforeItIsReleased() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 20, 10, 8);
    List<Envelope> envelopes = TestStreams.envelopes(stream, 10);
    MemoryResequenceState state = new MemoryResequenceState();
    Release early = Resequencer.offer(state, Envelope.marker("s1", 0, 1, 20, 999), () -> NOTHING);
    assertTrue(!early.hasMarker() && early.buffered());
    Resequencer.offer(state, envelopes.get(1), () -> NOTHING);
    Release last = Resequencer.offer(state, envelopes.get(0), () -> NOTHING);
    assertEquals(20, last.run().size());
    assertEquals(20, last.markerSequence());
    assertTrue(last.publishedThroughNanos() >= 999);
    Release idle = Resequencer.offer(state, Envelope.marker("s1", 0, 1, 20, 1999), () -> NOTHING);
    assertEquals(1999, idle.publishedThroughNanos());
    assertTrue(idle.hasMarker());
  }

  @Test
  void rule11_aFilledGapReleasesItsBacklogInBoundedRuns() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 1000, 50, 9);
    List<Envelope> envelopes = TestStreams.envelopes(stream, 10);
    ResequenceSettings limits = ResequenceSettings.DEFAULT.withMaxReleaseChanges(95);
    MemoryResequenceState state = new MemoryResequenceState();
    for (Envelope e : envelopes.subList(1, envelopes.size())) {
      assertTrue(Resequencer.offer(state, e, () -> NOTHING, limits).buffered());
    }
    List<SequencedChange> released = new ArrayList<>();
    Release r = Resequencer.offer(state, envelopes.get(0), () -> NOTHING, limits);
    int runs = 1;
    released.addAll(r.run());
    assertTrue(r.run().size() <= 10 + 95, "first run: the offered envelope plus at most the limit");
    while (r.more()) {
      r = Resequencer.resume(state, limits);
      assertTrue(
          r.run().size() <= 95,
          "a continuation never releases more than the limit: " + r.run().size());
      released.addAll(r.run());
      runs++;
    }
    assertEquals(sequences(stream), sequences(released));
    assertEquals(0, state.pendingCount());
    assertTrue(runs >= 10, "1,000 changes in runs of at most 105: " + runs);
  }

  @Test
  void rule11_theBufferIsReadOnlyWhenTheNextSequenceIsInIt() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 500, 50, 10);
    List<Envelope> envelopes = new ArrayList<>(TestStreams.envelopes(stream, 10));
    Collections.reverse(envelopes);
    MemoryResequenceState state = new MemoryResequenceState();
    List<SequencedChange> released = new ArrayList<>();
    for (Envelope e : envelopes) {
      released.addAll(Resequencer.offer(state, e, () -> NOTHING).run());
    }
    assertEquals(sequences(stream), sequences(released));
    assertEquals(
        1,
        state.bufferReads(),
        "49 out-of-order envelopes appended blindly, one read when the gap filled");
  }

  @Test
  void rule12_theBufferIsBoundedAndDroppedEnvelopesComeBackWhenRepublished() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 100, 20, 11);
    List<Envelope> envelopes = TestStreams.envelopes(stream, 10);
    ResequenceSettings limits = ResequenceSettings.DEFAULT.withMaxBufferedChanges(50);
    MemoryResequenceState state = new MemoryResequenceState();
    long dropped = 0;
    for (Envelope e : envelopes.subList(1, envelopes.size())) {
      dropped += Resequencer.offer(state, e, () -> NOTHING, limits).droppedOverCap();
    }
    assertEquals(40, dropped, "envelopes 7..10 do not fit");
    assertEquals(50, state.index().changes());
    List<SequencedChange> released =
        new ArrayList<>(Resequencer.offer(state, envelopes.get(0), () -> NOTHING, limits).run());
    assertEquals(
        sequences(stream.subList(0, 60)),
        sequences(released),
        "nothing past the first dropped envelope");
    assertEquals(61, state.nextSequence());
    for (Envelope e : envelopes.subList(6, envelopes.size())) {
      released.addAll(Resequencer.offer(state, e, () -> NOTHING, limits).run());
    }
    assertEquals(sequences(stream), sequences(released));
  }

  @Test
  void rule12_aSingleEnvelopeLargerThanTheBoundIsStillBuffered() {
    List<SequencedChange> stream = TestStreams.randomStream("s1", 0, 1, 40, 10, 12);
    List<Envelope> envelopes = TestStreams.envelopes(stream, 20);
    ResequenceSettings limits = ResequenceSettings.DEFAULT.withMaxBufferedChanges(5);
    MemoryResequenceState state = new MemoryResequenceState();
    assertTrue(Resequencer.offer(state, envelopes.get(1), () -> NOTHING, limits).buffered());
    assertEquals(
        40, Resequencer.offer(state, envelopes.get(0), () -> NOTHING, limits).run().size());
  }

  @Test
  void pendingIndexMergesAdjacentRangesAndAnswersContainsAndCovers() {
    PendingIndex i =
        PendingIndex.EMPTY.with(11, 20, 10).with(31, 40, 10).with(21, 30, 10).with(51, 60, 10);
    assertEquals(
        List.of(new PendingIndex.Range(11, 40), new PendingIndex.Range(51, 60)), i.ranges());
    assertTrue(i.contains(11) && i.contains(40) && i.contains(55));
    assertTrue(!i.contains(10) && !i.contains(41) && !i.contains(61));
    assertTrue(i.covers(15, 35) && !i.covers(35, 55));
    assertEquals(60, i.highest());
    assertEquals(4, i.envelopes());
  }
}
