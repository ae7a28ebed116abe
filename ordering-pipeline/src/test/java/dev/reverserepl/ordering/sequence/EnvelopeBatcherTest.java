package dev.reverserepl.ordering.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import dev.reverserepl.ordering.TestChanges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule E1 of the module README: envelope limits and transaction boundaries. */
class EnvelopeBatcherTest {
  private static List<Change> transactions(int... sizes) {
    List<Change> out = new ArrayList<>();
    long t = 1_000_000_000L;
    for (int i = 0; i < sizes.length; i++) {
      for (int m = 0; m < sizes[i]; m++) {
        out.add(TestChanges.change("t", ModKind.UPDATE, i * 100L + m, t + i, "txn" + i, 0, m));
      }
    }
    return out;
  }

  @Test
  void ruleE1_envelopesKeepTransactionsWholeWithinTheLimits() {
    SliceSequencer s = new SliceSequencer(SequencerConfig.defaults(1).withMaxChangesPerEnvelope(5));
    List<Envelope> envelopes =
        s.sequence(new SequencerKey("s", 0), transactions(2, 2, 3, 1, 4), 1, 42).envelopes();
    // 2+2 | 3+1 | 4: a transaction never straddles two envelopes when it fits in one
    assertEquals(List.of(4, 4, 4), envelopes.stream().map(e -> e.changes().size()).toList());
    for (Envelope e : envelopes) {
      assertTrue(
          e.changes().get(e.changes().size() - 1).endOfTransaction(),
          "envelope ends on a transaction end");
      assertTrue(e.changes().size() <= 5);
    }
    assertEquals(42, envelopes.get(2).publishedThroughNanos());
  }

  @Test
  void ruleE1_aTransactionLargerThanAnEnvelopeIsSplitAndItsEndStillMarked() {
    SliceSequencer s = new SliceSequencer(SequencerConfig.defaults(1).withMaxChangesPerEnvelope(5));
    List<Envelope> envelopes =
        s.sequence(new SequencerKey("s", 0), transactions(1, 12), 1, 42).envelopes();
    assertEquals(List.of(1, 5, 5, 2), envelopes.stream().map(e -> e.changes().size()).toList());
    assertEquals(
        List.of(true, false, false, true),
        envelopes.stream()
            .map(e -> e.changes().get(e.changes().size() - 1).endOfTransaction())
            .toList());
  }

  @Test
  void ruleE1_envelopeBytesStayUnderTheLimit() {
    long limit = 4_096;
    SliceSequencer s = new SliceSequencer(SequencerConfig.defaults(1).withMaxEnvelopeBytes(limit));
    int[] sizes = new int[100];
    java.util.Arrays.fill(sizes, 1);
    for (Envelope e :
        s.sequence(new SequencerKey("s", 0), transactions(sizes), 1, 42).envelopes()) {
      int bytes = EnvelopeCodec.encode(e).length;
      assertTrue(bytes <= limit, "envelope of " + bytes + " bytes");
    }
  }
}
