package dev.reverserepl.writer.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Cuts an ordered run of changes into MySQL transactions of at most {@code batchSize} changes. A
 * cut falls after the last Spanner transaction boundary in the batch when that boundary lies in its
 * second half, so a source transaction usually lands in one MySQL transaction; a Spanner
 * transaction bigger than that is split, which is still exactly-once because the applied position
 * is kept per change.
 */
public final class TransactionCutter {
  private TransactionCutter() {}

  public static <T> List<List<T>> cut(List<T> items, int batchSize, Predicate<T> endOfTransaction) {
    List<List<T>> out = new ArrayList<>();
    int start = 0;
    int n = items.size();
    while (start < n) {
      int end = Math.min(n, start + batchSize);
      if (end < n) {
        for (int i = end - 1; i >= start + batchSize / 2; i--) {
          if (endOfTransaction.test(items.get(i))) {
            end = i + 1;
            break;
          }
        }
      }
      out.add(items.subList(start, end));
      start = end;
    }
    return out;
  }
}
