package dev.reverserepl.common.change;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row change taken from a Spanner data change record: a single mod with its table, kind, key
 * and new values (as the JSON objects the change stream delivers, column name → value) and its
 * {@link ChangePosition}.
 *
 * <p>{@code newValuesJson} is {@code "{}"} for deletes. {@code transactionTag} is kept because the
 * forward-migration filter and the dead-letter queue need it.
 */
public record Change(
    String table,
    ModKind kind,
    String keysJson,
    String newValuesJson,
    ChangePosition position,
    String transactionTag,
    long recordsInTransaction)
    implements Serializable {

  public Change {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keysJson, "keysJson");
    Objects.requireNonNull(position, "position");
    if (table.isEmpty()) {
      throw new IllegalArgumentException("table must not be empty");
    }
    newValuesJson = newValuesJson == null || newValuesJson.isEmpty() ? "{}" : newValuesJson;
    transactionTag = transactionTag == null ? "" : transactionTag;
  }
}
