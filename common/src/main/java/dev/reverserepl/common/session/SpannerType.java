package dev.reverserepl.common.session;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * A Spanner column type from the session file's {@code T} object. {@code length} is 0 for MAX or
 * for types without a length.
 */
public record SpannerType(String name, boolean array, long length) implements Serializable {
  public SpannerType {
    Objects.requireNonNull(name, "name");
    name = name.toUpperCase(Locale.ROOT);
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
  }

  @Override
  public String toString() {
    String base = length > 0 ? name + "(" + length + ")" : name;
    return array ? "ARRAY<" + base + ">" : base;
  }
}
