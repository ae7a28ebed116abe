package dev.reverserepl.ordering.sequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;

/** Coder for {@link SequencerInput}: a nullable {@link ChangeCoder} (null = tick). */
public final class SequencerInputCoder extends AtomicCoder<SequencerInput> {
  private static final SequencerInputCoder INSTANCE = new SequencerInputCoder();
  private static final NullableCoder<dev.reverserepl.common.change.Change> CHANGE =
      NullableCoder.of(ChangeCoder.of());

  public static SequencerInputCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SequencerInput value, OutputStream out) throws IOException {
    CHANGE.encode(value.change(), out);
  }

  @Override
  public SequencerInput decode(InputStream in) throws IOException {
    return new SequencerInput(CHANGE.decode(in));
  }
}
