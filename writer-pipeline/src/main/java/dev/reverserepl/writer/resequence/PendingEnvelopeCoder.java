package dev.reverserepl.writer.resequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Binary coder of the envelopes the resequencer holds in state (pending bag and marker cell).
 *
 * <p>State is written and read far more often than envelopes travel — a runner may copy a key's
 * whole buffer through its coder once per bundle — so it does not use the published JSON form of
 * {@code EnvelopeCoder}: stream fields once per envelope, then per change its sequence, flags and
 * position as variable-length numbers and its strings as length-prefixed UTF-8 (the key and value
 * JSON as received, never re-parsed). A leading format byte leaves room for a later layout.
 */
public final class PendingEnvelopeCoder extends AtomicCoder<Envelope> {
  private static final PendingEnvelopeCoder INSTANCE = new PendingEnvelopeCoder();
  private static final int FORMAT = 1;
  private static final ModKind[] KINDS = ModKind.values();

  public static PendingEnvelopeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Envelope e, OutputStream out) throws IOException {
    out.write(FORMAT);
    string(e.shardId(), out);
    VarInt.encode(e.partition(), out);
    VarInt.encode(e.epoch(), out);
    VarInt.encode(e.firstSequence(), out);
    VarInt.encode(e.lastSequence(), out);
    VarInt.encode(e.publishedThroughNanos(), out);
    VarInt.encode(e.changes().size(), out);
    for (SequencedChange sc : e.changes()) {
      Change c = sc.change();
      ChangePosition p = c.position();
      VarInt.encode(sc.sequence(), out);
      out.write((sc.endOfTransaction() ? 1 : 0) | c.kind().ordinal() << 1);
      string(c.table(), out);
      string(c.keysJson(), out);
      string(c.newValuesJson(), out);
      VarInt.encode(p.commitNanos(), out);
      string(p.serverTransactionId(), out);
      VarInt.encode(p.recordSequence(), out);
      VarInt.encode(p.modIndex(), out);
      string(c.transactionTag(), out);
      VarInt.encode(c.recordsInTransaction(), out);
    }
  }

  @Override
  public Envelope decode(InputStream in) throws IOException {
    int format = in.read();
    if (format != FORMAT) {
      throw new CoderException("unknown pending-envelope format " + format);
    }
    String shardId = string(in);
    int partition = VarInt.decodeInt(in);
    long epoch = VarInt.decodeLong(in);
    long first = VarInt.decodeLong(in);
    long last = VarInt.decodeLong(in);
    long published = VarInt.decodeLong(in);
    int n = VarInt.decodeInt(in);
    List<SequencedChange> changes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long sequence = VarInt.decodeLong(in);
      int flags = in.read();
      if (flags < 0) {
        throw new EOFException("truncated pending envelope");
      }
      String table = string(in);
      String keys = string(in);
      String values = string(in);
      ChangePosition position =
          new ChangePosition(
              VarInt.decodeLong(in), string(in), VarInt.decodeLong(in), VarInt.decodeInt(in));
      String tag = string(in);
      long recordsInTransaction = VarInt.decodeLong(in);
      Change c =
          new Change(table, KINDS[flags >> 1], keys, values, position, tag, recordsInTransaction);
      changes.add(new SequencedChange(shardId, partition, epoch, sequence, (flags & 1) != 0, c));
    }
    return new Envelope(shardId, partition, epoch, first, last, published, changes);
  }

  // Length + 1 as a variable-length number (0 stands for null), then the UTF-8 bytes.
  private static void string(String s, OutputStream out) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(b.length + 1, out);
    out.write(b);
  }

  private static String string(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in) - 1;
    if (n < 0) {
      return null;
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("truncated pending envelope");
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}
