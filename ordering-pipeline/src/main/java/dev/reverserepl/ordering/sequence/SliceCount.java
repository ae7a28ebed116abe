package dev.reverserepl.ordering.sequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One closed slice of a key as the numbering stage sees it: the commit-time interval {@code
 * [startMillis, endMillis)} in absolute epoch millis (never a bucket index, so a changed bucket
 * width cannot reinterpret it) and how many changes it holds (0 for a slice made only of heartbeat
 * ticks).
 */
public record SliceCount(long startMillis, long endMillis, long changes) {
  public SliceCount {
    if (endMillis <= startMillis) {
      throw new IllegalArgumentException(
          "slice end " + endMillis + " must be after its start " + startMillis);
    }
    if (changes < 0) {
      throw new IllegalArgumentException("slice change count must be >= 0: " + changes);
    }
  }

  /** The slice's last millisecond, the timestamp its count and number carry. */
  public long lastMillis() {
    return endMillis - 1;
  }

  /** Coder for state and shuffle. */
  public static final class Coder extends AtomicCoder<SliceCount> {
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SliceCount v, OutputStream out) throws IOException {
      LONG.encode(v.startMillis, out);
      LONG.encode(v.endMillis, out);
      LONG.encode(v.changes, out);
    }

    @Override
    public SliceCount decode(InputStream in) throws IOException {
      return new SliceCount(LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
