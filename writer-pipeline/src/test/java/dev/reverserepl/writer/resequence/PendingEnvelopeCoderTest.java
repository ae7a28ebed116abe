package dev.reverserepl.writer.resequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class PendingEnvelopeCoderTest {

  @Test
  void everyFieldOfABufferedEnvelopeSurvivesTheStateCoder() throws Exception {
    Change insert =
        new Change(
            "orders",
            ModKind.INSERT,
            "{\"id\":\"7\",\"name\":\"Zoë \uD83D\uDE00\"}",
            "{\"v\":null,\"n\":1.5}",
            new ChangePosition(1_767_225_600_123_456_789L, "txn-1", 3, 2),
            "tag",
            2);
    Change delete =
        new Change(
            "customers",
            ModKind.DELETE,
            "{\"id\":\"8\"}",
            "{}",
            new ChangePosition(1_767_225_600_123_456_790L, "txn-2", 0, 0),
            "",
            1);
    Envelope e =
        new Envelope(
            "shard-a",
            3,
            12,
            41,
            42,
            987_654_321L,
            List.of(
                new SequencedChange("shard-a", 3, 12, 41, false, insert),
                new SequencedChange("shard-a", 3, 12, 42, true, delete)));
    PendingEnvelopeCoder coder = PendingEnvelopeCoder.of();

    assertEquals(e, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, e)));
  }

  @Test
  void aProgressMarkerSurvivesTheStateCoder() throws Exception {
    Envelope marker = Envelope.marker("shard-a", 0, 2, 99, 1_767_225_600_000_000_000L);
    PendingEnvelopeCoder coder = PendingEnvelopeCoder.of();

    assertEquals(
        marker, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, marker)));
  }
}
