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
        new AppliedPosition("s1", 0, 3, 20, stream.get(19).change().position(), 20, 0, Instant.now());
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
}
