package dev.reverserepl.reverse.translate;

/**
 * A row that cannot be written to Spanner as it is; the message names table, column and value
 * problem.
 */
public final class RowFailure extends Exception {
  public RowFailure(String message) {
    super(message);
  }
}
