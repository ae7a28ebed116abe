package dev.reverserepl.writer.resequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A stream waiting for {@code missingSequence} of {@code epoch} since {@code sinceMillis} (wall
 * clock), and whether that wait has been reported (rule 13).
 */
record GapWait(long epoch, long missingSequence, long sinceMillis, boolean reported)
    implements Serializable {

  /**
   * The wait after the state changed: null when nothing is awaited, the same wait while the gap is
   * the same.
   */
  static GapWait observe(GapWait current, ResequenceState s, long nowMillis) {
    if (s.epoch() == null) {
      return null;
    }
    long missing = s.nextSequence();
    PendingIndex index = s.index();
    // A release that continues on a timer is not a wait: its next sequence is in the buffer.
    boolean waiting = !index.contains(missing) && (!index.isEmpty() || s.pendingMarker() != null);
    if (!waiting) {
      return null;
    }
    if (current != null && current.epoch() == s.epoch() && current.missingSequence() == missing) {
      return current;
    }
    return new GapWait(s.epoch(), missing, nowMillis, false);
  }

  GapWait reportedNow() {
    return new GapWait(epoch, missingSequence, sinceMillis, true);
  }

  static final class Coder extends AtomicCoder<GapWait> {
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(GapWait w, OutputStream out) throws IOException {
      LONG.encode(w.epoch(), out);
      LONG.encode(w.missingSequence(), out);
      LONG.encode(w.sinceMillis(), out);
      BooleanCoder.of().encode(w.reported(), out);
    }

    @Override
    public GapWait decode(InputStream in) throws IOException {
      return new GapWait(
          LONG.decode(in), LONG.decode(in), LONG.decode(in), BooleanCoder.of().decode(in));
    }
  }
}
