package dev.reverserepl.writer.source;

import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/** Beam coder for {@link Envelope}s in their published JSON form (compact and version-checked). */
public final class EnvelopeCoder extends CustomCoder<Envelope> {
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

  @Override
  public void verifyDeterministic() {}
}
