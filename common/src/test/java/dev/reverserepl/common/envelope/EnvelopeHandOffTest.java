package dev.reverserepl.common.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hand-off's rules, in its Javadoc: exactly once in order, bounded, no silent end. */
class EnvelopeHandOffTest {
  /** A progress marker, weight 1, told apart by its sequence. */
  private static Envelope marker(long n) {
    return new Envelope("s1", 0, 1, n + 1, n, n, List.of());
  }

  @Test
  void rule1_everyEnvelopePutIsTakenOnceInPutOrder() throws Exception {
    try (EnvelopeHandOff h = EnvelopeHandOff.open(50)) {
      CompletableFuture<Void> putter =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (long n = 0; n < 5_000; n++) {
                    h.put(marker(n));
                  }
                  h.finish();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      List<Long> taken = new ArrayList<>();
      while (!h.drained()) {
        for (Envelope e : h.take(7, 10)) {
          taken.add(e.lastSequence());
        }
      }
      putter.get(30, TimeUnit.SECONDS);
      assertEquals(5_000, taken.size());
      for (int i = 0; i < taken.size(); i++) {
        assertEquals(i, taken.get(i));
      }
      assertTrue(h.peakHeld() <= 50, "held " + h.peakHeld());
    }
  }

  @Test
  void rule2_aFullHandOffHoldsThePutBackUntilSomethingIsTaken() throws Exception {
    try (EnvelopeHandOff h = EnvelopeHandOff.open(3)) {
      for (long n = 0; n < 3; n++) {
        h.put(marker(n));
      }
      CompletableFuture<Void> fourth =
          CompletableFuture.runAsync(
              () -> {
                try {
                  h.put(marker(3));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(300);
      assertFalse(fourth.isDone(), "a put into a full hand-off went through");
      assertEquals(1, h.take(1, 0).size());
      fourth.get(5, TimeUnit.SECONDS);
      assertEquals(3, h.peakHeld());
      // an envelope heavier than the whole room still passes an empty hand-off
      assertEquals(3, h.take(10, 0).size());
      Envelope heavy = ClaimCheckTest.envelope(10);
      try (EnvelopeHandOff small = EnvelopeHandOff.open(1)) {
        small.put(new Envelope("s1", 2, 3, 1, 2, 0, List.of(one(heavy, 1), one(heavy, 2))));
        assertEquals(2, small.peakHeld());
      }
    }
  }

  private static dev.reverserepl.common.change.SequencedChange one(Envelope e, long seq) {
    dev.reverserepl.common.change.SequencedChange c = e.changes().get(0);
    return new dev.reverserepl.common.change.SequencedChange(
        c.shardId(), c.partition(), c.epoch(), seq, seq == 2, c.change());
  }

  @Test
  void rule3_aFailureReachesBothSidesAndACloseEndsAWaitingPut() throws Exception {
    try (EnvelopeHandOff h = EnvelopeHandOff.open(1)) {
      h.put(marker(0));
      AtomicReference<Throwable> seen = new AtomicReference<>();
      CompletableFuture<Void> blocked =
          CompletableFuture.runAsync(
              () -> {
                try {
                  h.put(marker(1));
                } catch (Throwable t) {
                  seen.set(t);
                }
              });
      Thread.sleep(200);
      h.fail(new RuntimeException("shard s1: access denied"));
      blocked.get(5, TimeUnit.SECONDS);
      assertTrue(seen.get().getMessage().contains("access denied"), seen.get().getMessage());
      IllegalStateException onTake = assertThrows(IllegalStateException.class, () -> h.take(1, 0));
      assertTrue(onTake.getMessage().contains("access denied"), onTake.getMessage());
    }
    EnvelopeHandOff closed = EnvelopeHandOff.open(1);
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.put(marker(0)));
    assertThrows(IllegalStateException.class, () -> EnvelopeHandOff.find(closed.id()));
    try (EnvelopeHandOff finished = EnvelopeHandOff.open(5)) {
      finished.finish();
      assertTrue(finished.drained());
      assertTrue(finished.take(1, 1_000).isEmpty());
      assertThrows(IllegalStateException.class, () -> finished.put(marker(0)));
    }
  }
}
