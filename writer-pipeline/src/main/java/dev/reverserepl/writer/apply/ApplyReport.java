package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.AppliedPosition;
import java.io.Serializable;

/**
 * What one {@link ShardApplier#apply} call did: changes applied, skipped as already applied
 * (duplicates), skipped because their table is not replicated to the source, dead-lettered, how
 * many transaction attempts were retried, and the applied position afterwards.
 */
public record ApplyReport(
    long applied,
    long duplicates,
    long notReplicated,
    long deadLettered,
    long retries,
    AppliedPosition position)
    implements Serializable {

  /** Every change of the call, whatever happened to it. */
  public long handled() {
    return applied + duplicates + notReplicated + deadLettered;
  }

  static final class Builder {
    long applied;
    long duplicates;
    long notReplicated;
    long deadLettered;
    long retries;
    AppliedPosition position;

    void add(TxAttempt.Committed c) {
      applied += c.applied();
      duplicates += c.duplicates();
      notReplicated += c.skipped();
      deadLettered += c.deadLettered();
      position = c.position();
    }

    ApplyReport build() {
      return new ApplyReport(applied, duplicates, notReplicated, deadLettered, retries, position);
    }
  }
}
