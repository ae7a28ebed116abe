package dev.reverserepl.ordering.sequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What a sequencer key remembers between slices (one {@code ValueState}): its epoch, the next
 * sequence to hand out and the end (epoch millis) of the last slice it numbered. Times are
 * absolute, so the state means the same after an update that changes {@code sequencerBucketMillis};
 * the epoch is the key's own, so an update that launches with a new {@code epoch} continues the
 * key's stream instead of starting a new one at a sequence the writer never expects.
 */
public record KeyProgress(long epoch, long nextSeq, long numberedThroughMillis) {
  public KeyProgress {
    if (nextSeq < 1) {
      throw new IllegalArgumentException("nextSeq must be >= 1: " + nextSeq);
    }
  }

  /** A key without state begins a new epoch at sequence 1. */
  public static KeyProgress start(long epoch) {
    return new KeyProgress(epoch, 1, Long.MIN_VALUE);
  }

  /** Coder for state. */
  public static final class Coder extends AtomicCoder<KeyProgress> {
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(KeyProgress v, OutputStream out) throws IOException {
      LONG.encode(v.epoch, out);
      LONG.encode(v.nextSeq, out);
      LONG.encode(v.numberedThroughMillis, out);
    }

    @Override
    public KeyProgress decode(InputStream in) throws IOException {
      return new KeyProgress(LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
