package dev.reverserepl.common.convert;

/**
 * A change-stream value that cannot be written to its MySQL column without changing it. The message
 * names the column, the Spanner and MySQL types and the (truncated) value.
 */
public class ValueConversionException extends Exception {
  static final int MAX_VALUE_CHARS = 120;

  private final String column;
  private final String type;
  private final String value;
  private final String problem;

  public ValueConversionException(String column, String type, String value, String problem) {
    this(column, type, value, problem, null);
  }

  public ValueConversionException(
      String column, String type, String value, String problem, Throwable cause) {
    super(
        "column '" + column + "' (" + type + "): " + problem + ": value " + truncate(value), cause);
    this.column = column;
    this.type = type;
    this.value = truncate(value);
    this.problem = problem;
  }

  /** Cuts long values so a huge BYTES or STRING value does not flood logs and dead letters. */
  static String truncate(String value) {
    if (value == null) {
      return "null";
    }
    if (value.length() <= MAX_VALUE_CHARS) {
      return value;
    }
    return value.substring(0, MAX_VALUE_CHARS) + "...(" + value.length() + " chars)";
  }

  /** The Spanner column name (and source column when known). */
  public String column() {
    return column;
  }

  /** {@code SPANNER_TYPE -> mysql type}. */
  public String type() {
    return type;
  }

  /** The offending value, truncated. */
  public String value() {
    return value;
  }

  public String problem() {
    return problem;
  }
}
