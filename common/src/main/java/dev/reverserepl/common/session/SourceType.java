package dev.reverserepl.common.session;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A MySQL column type from the session file's source schema: lower-case base name ({@code int},
 * {@code varchar}, {@code decimal}, {@code enum}, ...), its numeric modifiers (length, or precision
 * and scale) and whether it is unsigned.
 */
public record SourceType(String name, List<Long> mods, boolean unsigned) implements Serializable {
  public SourceType {
    Objects.requireNonNull(name, "name");
    name = name.toLowerCase(Locale.ROOT);
    mods = mods == null ? List.of() : List.copyOf(mods);
  }

  /**
   * Parses a type name as the migration tool writes it, e.g. {@code bigint unsigned} or {@code text
   * CHARACTER SET utf8}: the first word is the base type; the word {@code unsigned} anywhere marks
   * it unsigned; a parenthesised list after the base name (e.g. {@code varchar(20)}) is used when
   * {@code mods} is empty.
   */
  public static SourceType parse(String typeName, List<Long> mods) {
    String t = typeName.trim().toLowerCase(Locale.ROOT);
    boolean unsigned = false;
    for (String word : t.split("[\\s]+")) {
      if (word.equals("unsigned")) {
        unsigned = true;
      }
    }
    String base = t.split("[\\s(]+")[0];
    List<Long> m = mods == null ? List.of() : mods;
    int open = t.indexOf('(');
    int close = t.indexOf(')', open + 1);
    if (m.isEmpty() && open > 0 && close > open) {
      m = new java.util.ArrayList<>();
      for (String part : t.substring(open + 1, close).split(",")) {
        try {
          m.add(Long.parseLong(part.trim()));
        } catch (NumberFormatException e) {
          // enum('a','b') style lists carry no numeric modifier
        }
      }
    }
    return new SourceType(base, m, unsigned);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name);
    if (!mods.isEmpty()) {
      sb.append('(');
      for (int i = 0; i < mods.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(mods.get(i));
      }
      sb.append(')');
    }
    return unsigned ? sb.append(" unsigned").toString() : sb.toString();
  }
}
