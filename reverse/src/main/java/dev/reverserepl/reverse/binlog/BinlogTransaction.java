package dev.reverserepl.reverse.binlog;

import java.time.Instant;
import java.util.List;

/**
 * The row changes of one committed source transaction, in binlog order. {@code end} is the position
 * right after its commit event (where reading resumes); {@code committedAt} the source server's
 * commit time (whole seconds, from the event header).
 */
public record BinlogTransaction(List<RowEvent> rows, BinlogPosition end, Instant committedAt) {
  public BinlogTransaction {
    rows = List.copyOf(rows);
  }
}
