package dev.reverserepl.reverse.apply;

import com.google.cloud.spanner.Mutation;
import dev.reverserepl.reverse.binlog.BinlogTransaction;
import java.util.List;

/**
 * A source transaction translated: its Spanner mutations in binlog order, how many source rows they
 * carry, and the rows that could not be translated ({@code failures}, dead-lettered).
 */
public record PreparedTransaction(
    BinlogTransaction source, List<Mutation> mutations, long rows, List<DeadRow> failures) {
  /** A source row that cannot be written, with the reason. */
  public record DeadRow(String table, String kind, String row, String error) {}

  public PreparedTransaction {
    mutations = List.copyOf(mutations);
    failures = List.copyOf(failures);
  }
}
