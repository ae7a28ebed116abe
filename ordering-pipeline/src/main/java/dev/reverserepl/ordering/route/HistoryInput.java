package dev.reverserepl.ordering.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;

/**
 * What the per-row history stage receives: a sighting of the row in a shard, or a delete waiting
 * for the row's history to name its shard. Exactly one of the two is set.
 */
public record HistoryInput(Sighting sighting, RoutingAttempt waiting) {
  public HistoryInput {
    if ((sighting == null) == (waiting == null)) {
      throw new IllegalArgumentException("a history input is a sighting or a waiting delete");
    }
  }

  public static HistoryInput of(Sighting s) {
    return new HistoryInput(s, null);
  }

  public static HistoryInput waiting(RoutingAttempt a) {
    return new HistoryInput(null, a);
  }

  /** Deterministic coder. */
  public static final class Coder extends AtomicCoder<HistoryInput> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(HistoryInput h, OutputStream out) throws IOException {
      BooleanCoder.of().encode(h.sighting() != null, out);
      if (h.sighting() != null) {
        Sighting.Coder.of().encode(h.sighting(), out);
      } else {
        RoutingAttemptCoder.of().encode(h.waiting(), out);
      }
    }

    @Override
    public HistoryInput decode(InputStream in) throws IOException {
      return BooleanCoder.of().decode(in)
          ? HistoryInput.of(Sighting.Coder.of().decode(in))
          : waiting(RoutingAttemptCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
