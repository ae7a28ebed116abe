package dev.reverserepl.common.config;

/**
 * A bad input file or option. The message always names where the problem is: the file (or option),
 * the location inside it (line, shard index and id, table) and the field, so an operator can fix it
 * without reading code.
 */
public class ConfigException extends RuntimeException {
  private final String source;
  private final String location;
  private final String field;

  public ConfigException(String source, String location, String field, String problem) {
    this(source, location, field, problem, null);
  }

  public ConfigException(
      String source, String location, String field, String problem, Throwable cause) {
    super(format(source, location, field, problem), cause);
    this.source = source;
    this.location = location;
    this.field = field;
  }

  private static String format(String source, String location, String field, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(source == null ? "<input>" : source);
    if (location != null && !location.isEmpty()) {
      sb.append(": ").append(location);
    }
    if (field != null && !field.isEmpty()) {
      sb.append(": field '").append(field).append('\'');
    }
    return sb.append(": ").append(problem).toString();
  }

  /** The file or option the problem is in. */
  public String source() {
    return source;
  }

  /** Where inside the source, e.g. {@code line 12} or {@code shard[1] 'shard2'}; may be empty. */
  public String location() {
    return location;
  }

  /** The offending field name; may be empty when the whole entry is wrong. */
  public String field() {
    return field;
  }
}
