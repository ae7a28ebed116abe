package dev.reverserepl.common.translate;

import java.io.Serializable;
import java.util.Objects;

/**
 * What became of one change: translated, skipped on purpose (counted), or failed (dead-lettered).
 */
public sealed interface TranslationResult extends Serializable {

  /** The change in source terms, ready for the dialect. */
  record Translated(RowChange rowChange) implements TranslationResult {
    public Translated {
      Objects.requireNonNull(rowChange, "rowChange");
    }
  }

  /** The table is not replicated to the source (e.g. a Spanner-only table). */
  record Skipped(String reason) implements TranslationResult {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The change cannot be written as it is; the reason names the table and column. */
  record Failed(String reason) implements TranslationResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
