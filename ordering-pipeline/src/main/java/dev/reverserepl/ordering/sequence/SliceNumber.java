package dev.reverserepl.ordering.sequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The numbers a closed slice gets: its changes take sequences {@code firstSeq .. firstSeq + changes
 * - 1} of {@code epoch} (the key's own epoch, kept in state, not the launching job's); an empty
 * slice publishes a marker after {@code firstSeq - 1}.
 */
public record SliceNumber(long epoch, long firstSeq, SliceCount slice) {
  public SliceNumber {
    if (firstSeq < 1) {
      throw new IllegalArgumentException("firstSeq must be >= 1: " + firstSeq);
    }
    java.util.Objects.requireNonNull(slice, "slice");
  }

  /** Everything committed up to the slice's end, in epoch nanos (inclusive). */
  public long throughNanos() {
    return slice.endMillis() * 1_000_000L - 1;
  }

  /** Coder for shuffle. */
  public static final class Coder extends AtomicCoder<SliceNumber> {
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SliceNumber v, OutputStream out) throws IOException {
      LONG.encode(v.epoch, out);
      LONG.encode(v.firstSeq, out);
      SliceCount.Coder.of().encode(v.slice, out);
    }

    @Override
    public SliceNumber decode(InputStream in) throws IOException {
      return new SliceNumber(LONG.decode(in), LONG.decode(in), SliceCount.Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
