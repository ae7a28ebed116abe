package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Some of one key's changes in one slice, packed by {@link PackSliceFn}: how many, and their {@link
 * ChangeCoder} encodings one after another. A pack of none stands for heartbeat ticks: it makes the
 * slice exist. The slice's grouping keeps packs as opaque bytes, so a runner that copies or
 * shuffles what it groups moves a few byte arrays per slice instead of every change's fields.
 */
public record SlicePack(int changes, byte[] encoded) {
  private static final SlicePack TICKS = new SlicePack(0, new byte[0]);

  public SlicePack {
    if (changes < 0) {
      throw new IllegalArgumentException("pack change count must be >= 0: " + changes);
    }
    if (changes == 0 && encoded.length != 0) {
      throw new IllegalArgumentException("a pack of no changes holds " + encoded.length + " bytes");
    }
  }

  /** A pack of no changes. */
  public static SlicePack ticks() {
    return TICKS;
  }

  /** Appends this pack's changes to {@code into}, in the order they were packed. */
  public void unpackInto(List<Change> into) {
    InputStream in = new ByteArrayInputStream(encoded);
    try {
      for (int i = 0; i < changes; i++) {
        into.add(ChangeCoder.of().decode(in));
      }
      if (in.read() != -1) {
        throw new IllegalStateException(
            "a pack of " + changes + " changes holds bytes after its last change");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack a slice pack of " + changes + " changes", e);
    }
  }

  /** Collects changes into one pack. */
  static final class Builder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private int changes;

    void add(Change c) {
      try {
        ChangeCoder.of().encode(c, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      changes++;
    }

    int size() {
      return bytes.size();
    }

    SlicePack build() {
      return changes == 0 ? TICKS : new SlicePack(changes, bytes.toByteArray());
    }
  }

  /** Coder for shuffle and state: the count, then the bytes. */
  public static final class Coder extends AtomicCoder<SlicePack> {
    private static final Coder INSTANCE = new Coder();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SlicePack v, OutputStream out) throws IOException {
      INT.encode(v.changes, out);
      BYTES.encode(v.encoded, out);
    }

    @Override
    public SlicePack decode(InputStream in) throws IOException {
      return new SlicePack(INT.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
