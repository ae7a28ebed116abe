package dev.reverserepl.common.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized envelopes by reference: small ones unchanged, large ones stored and resolved, bad files
 * named.
 */
class ClaimCheckTest {
  @TempDir Path tmp;

  static Envelope envelope(int valueChars) {
    Change c =
        new Change(
            "Users",
            ModKind.INSERT,
            "{\"id\":\"7\"}",
            "{\"name\":\"" + "v".repeat(valueChars) + "\"}",
            new ChangePosition(1_000_000L, "tx", 0, 0),
            "",
            1);
    return new Envelope(
        "s1", 2, 3, 40, 40, 5, List.of(new SequencedChange("s1", 2, 3, 40, true, c)));
  }

  @Test
  void anEnvelopeWithinTheLimitIsItsOwnPayload() {
    Envelope e = envelope(100);
    byte[] payload = new ClaimCheck(tmp.toString(), 10_000).payload(e);
    assertArrayEquals(EnvelopeCodec.encode(e), payload);
    assertFalse(ClaimCheck.isReference(payload));
    assertEquals(e, ClaimCheck.decode(payload));
  }

  @Test
  void anOversizedEnvelopeTravelsAsAReferenceAndResolvesToItself() {
    Envelope e = envelope(50_000);
    byte[] payload = new ClaimCheck(tmp.resolve("cc").toString(), 10_000).payload(e);
    assertTrue(payload.length < 1_000 && ClaimCheck.isReference(payload), new String(payload));
    assertTrue(Files.exists(tmp.resolve("cc").resolve("claim-s1-2-3-40-40.json")));
    assertEquals(e, ClaimCheck.decode(payload));
  }

  @Test
  void aMissingOrAlteredFileIsAnErrorNamingIt() throws Exception {
    Envelope e = envelope(50_000);
    Path file = tmp.resolve("cc").resolve("claim-s1-2-3-40-40.json");
    byte[] payload = new ClaimCheck(tmp.resolve("cc").toString(), 10_000).payload(e);
    Files.writeString(file, "{}");
    IllegalArgumentException altered =
        assertThrows(IllegalArgumentException.class, () -> ClaimCheck.decode(payload));
    assertTrue(altered.getMessage().contains(file.toString()), altered.getMessage());
    Files.delete(file);
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> ClaimCheck.decode(payload));
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
  }

  @Test
  void withoutADirectoryAnOversizedEnvelopeIsAClearError() {
    IllegalStateException ex =
        assertThrows(
            IllegalStateException.class,
            () -> new ClaimCheck("", 10_000).payload(envelope(50_000)));
    assertTrue(
        ex.getMessage().contains("s1/2/3 sequences 40..40")
            && ex.getMessage().contains("claimCheckDirectory"),
        ex.getMessage());
  }
}
