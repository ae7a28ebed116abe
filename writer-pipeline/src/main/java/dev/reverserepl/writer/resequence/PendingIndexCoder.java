package dev.reverserepl.writer.resequence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact coder of {@link PendingIndex}: counts, then the ranges as variable-length longs. */
public final class PendingIndexCoder extends AtomicCoder<PendingIndex> {
  private static final PendingIndexCoder INSTANCE = new PendingIndexCoder();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static PendingIndexCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(PendingIndex value, OutputStream out) throws IOException {
    LONG.encode(value.envelopes(), out);
    LONG.encode(value.changes(), out);
    LONG.encode((long) value.ranges().size(), out);
    for (PendingIndex.Range r : value.ranges()) {
      LONG.encode(r.first(), out);
      LONG.encode(r.last(), out);
    }
  }

  @Override
  public PendingIndex decode(InputStream in) throws IOException {
    long envelopes = LONG.decode(in);
    long changes = LONG.decode(in);
    int n = Math.toIntExact(LONG.decode(in));
    List<PendingIndex.Range> ranges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ranges.add(new PendingIndex.Range(LONG.decode(in), LONG.decode(in)));
    }
    return new PendingIndex(ranges, envelopes, changes);
  }
}
