package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact deterministic coder for {@link Change} (state cells hold millions of them during a
 * backlog).
 */
public final class ChangeCoder extends AtomicCoder<Change> {
  private static final ChangeCoder INSTANCE = new ChangeCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  public static ChangeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Change c, OutputStream out) throws IOException {
    STRING.encode(c.table(), out);
    INT.encode(c.kind().ordinal(), out);
    STRING.encode(c.keysJson(), out);
    STRING.encode(c.newValuesJson(), out);
    ChangePosition p = c.position();
    LONG.encode(p.commitNanos(), out);
    STRING.encode(p.serverTransactionId(), out);
    LONG.encode(p.recordSequence(), out);
    INT.encode(p.modIndex(), out);
    STRING.encode(c.transactionTag(), out);
    LONG.encode(c.recordsInTransaction(), out);
  }

  @Override
  public Change decode(InputStream in) throws IOException {
    String table = STRING.decode(in);
    ModKind kind = ModKind.values()[INT.decode(in)];
    String keys = STRING.decode(in);
    String values = STRING.decode(in);
    ChangePosition p =
        new ChangePosition(LONG.decode(in), STRING.decode(in), LONG.decode(in), INT.decode(in));
    return new Change(table, kind, keys, values, p, STRING.decode(in), LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
