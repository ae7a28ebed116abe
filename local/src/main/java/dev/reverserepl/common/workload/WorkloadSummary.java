package dev.reverserepl.common.workload;

import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;

/**
 * What a generated workload holds: transactions, and mods by fate — replicated (by kind), filtered
 * as forward-migration traffic, or skipped because their table is Spanner-only.
 */
public record WorkloadSummary(
    long transactions,
    long replicated,
    long inserts,
    long updates,
    long deletes,
    long filtered,
    long skipped) {

  public long total() {
    return replicated + filtered + skipped;
  }

  static final class Builder {
    private long transactions;
    private long replicated;
    private long inserts;
    private long updates;
    private long deletes;
    private long filtered;
    private long skipped;

    void transaction() {
      transactions++;
    }

    void replicated(long n) {
      replicated += n;
    }

    void filtered(long n) {
      filtered += n;
    }

    void skipped(long n) {
      skipped += n;
    }

    void mod(ModType kind) {
      switch (kind) {
        case INSERT:
          inserts++;
          break;
        case UPDATE:
          updates++;
          break;
        default:
          deletes++;
      }
    }

    WorkloadSummary build() {
      return new WorkloadSummary(
          transactions, replicated, inserts, updates, deletes, filtered, skipped);
    }
  }
}
