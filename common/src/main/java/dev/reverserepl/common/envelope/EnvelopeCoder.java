package dev.reverserepl.common.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;

/**
 * Beam coder for {@link Envelope}: its published JSON form, so what is shuffled is what is sent.
 */
public final class EnvelopeCoder extends AtomicCoder<Envelope> {
  private static final EnvelopeCoder INSTANCE = new EnvelopeCoder();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  public static EnvelopeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Envelope value, OutputStream out) throws IOException {
    BYTES.encode(EnvelopeCodec.encode(value), out);
  }

  @Override
  public Envelope decode(InputStream in) throws IOException {
    return EnvelopeCodec.decode(BYTES.decode(in));
  }
}
