package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.ChangePosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A row seen in a shard at a position: all the history a delete lacking its shard-id column needs
 * (rule R2), without the change itself.
 */
public record Sighting(ChangePosition position, String shardId) implements Comparable<Sighting> {
  public Sighting {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(shardId, "shardId");
  }

  public long commitMillis() {
    return Math.floorDiv(position.commitNanos(), 1_000_000L);
  }

  @Override
  public int compareTo(Sighting o) {
    return position.compareTo(o.position);
  }

  /** Deterministic coder; a sighting is kept in state per row. */
  public static final class Coder extends AtomicCoder<Sighting> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Sighting s, OutputStream out) throws IOException {
      ChangePosition p = s.position();
      VarLongCoder.of().encode(p.commitNanos(), out);
      StringUtf8Coder.of().encode(p.serverTransactionId(), out);
      VarLongCoder.of().encode(p.recordSequence(), out);
      VarIntCoder.of().encode(p.modIndex(), out);
      StringUtf8Coder.of().encode(s.shardId(), out);
    }

    @Override
    public Sighting decode(InputStream in) throws IOException {
      ChangePosition p =
          new ChangePosition(
              VarLongCoder.of().decode(in),
              StringUtf8Coder.of().decode(in),
              VarLongCoder.of().decode(in),
              VarIntCoder.of().decode(in));
      return new Sighting(p, StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
