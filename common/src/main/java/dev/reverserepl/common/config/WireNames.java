package dev.reverserepl.common.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Parsing of {@link WireNamed} enums from their external spelling. */
public final class WireNames {
  private WireNames() {}

  /** The constant spelled exactly {@code value}; empty for null or any other spelling. */
  public static <E extends Enum<E> & WireNamed> Optional<E> find(Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.wireName().equals(value))
        .findFirst();
  }

  /** The constant spelled {@code value} in any case; empty for null or any other spelling. */
  public static <E extends Enum<E> & WireNamed> Optional<E> findIgnoringCase(
      Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.wireName().equalsIgnoreCase(value))
        .findFirst();
  }

  /**
   * The constant spelled exactly {@code value}.
   *
   * @throws ConfigException naming {@code source} and {@code option}: "must be a, b or c, got 'x'"
   */
  public static <E extends Enum<E> & WireNamed> E parse(
      Class<E> type, String source, String option, String value) {
    return find(type, value)
        .orElseThrow(
            () ->
                new ConfigException(
                    source, "", option, "must be " + alternatives(type) + ", got '" + value + "'"));
  }

  /** Every spelling in declaration order. */
  public static <E extends Enum<E> & WireNamed> List<String> names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(WireNamed::wireName).toList();
  }

  /** The spellings as prose: {@code a}, {@code a or b}, {@code a, b or c}. */
  public static <E extends Enum<E> & WireNamed> String alternatives(Class<E> type) {
    List<String> names = names(type);
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1);
  }
}
