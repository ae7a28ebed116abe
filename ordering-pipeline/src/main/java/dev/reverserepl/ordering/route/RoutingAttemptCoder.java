package dev.reverserepl.ordering.route;

import dev.reverserepl.ordering.sequence.ChangeCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Compact coder for {@link RoutingAttempt}: every change of a replay crosses routing, and Java
 * serialization of each was a large share of a replay's cost.
 */
public final class RoutingAttemptCoder extends AtomicCoder<RoutingAttempt> {
  private static final RoutingAttemptCoder INSTANCE = new RoutingAttemptCoder();
  private static final NullableCoder<String> TEXT = NullableCoder.of(StringUtf8Coder.of());

  public static RoutingAttemptCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RoutingAttempt a, OutputStream out) throws IOException {
    ChangeCoder.of().encode(a.change(), out);
    TEXT.encode(a.shardId(), out);
    TEXT.encode(a.reason(), out);
    BooleanCoder.of().encode(a.historyMayResolve(), out);
  }

  @Override
  public RoutingAttempt decode(InputStream in) throws IOException {
    return new RoutingAttempt(
        ChangeCoder.of().decode(in),
        TEXT.decode(in),
        TEXT.decode(in),
        BooleanCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
