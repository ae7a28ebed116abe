package dev.reverserepl.common.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a schema script into statements: a statement ends at a {@code ;} outside quotes and
 * comments.
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quote != 0) {
        cur.append(c);
        if (c == '\\' && quote != '`' && i + 1 < text.length()) {
          cur.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
        i++;
        continue;
      }
      if (c == '-' && text.startsWith("-- ", i) || c == '#') {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
        continue;
      }
      if (c == '/' && text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
        continue;
      }
      if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      }
      if (c == ';') {
        add(out, cur);
      } else {
        cur.append(c);
      }
      i++;
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
