package dev.reverserepl.common.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a CREATE TABLE reader to check session files against the fixtures'
 * mysql-schema.sql.
 */
final class MySqlSchemaFile {
  record Column(String name, String type, boolean unsigned) {}

  record Table(String name, Map<String, Column> columns, List<String> primaryKey) {
    Column column(String name) {
      return columns.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final Pattern CREATE =
      Pattern.compile(
          "CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(`[^`]+`|\\w+)\\s*\\(",
          Pattern.CASE_INSENSITIVE);

  private MySqlSchemaFile() {}

  static Map<String, Table> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Table> parse(String sql) {
    Map<String, Table> tables = new LinkedHashMap<>();
    Matcher m = CREATE.matcher(sql);
    int from = 0;
    while (m.find(from)) {
      String name = unquote(m.group(1));
      int end = closingParen(sql, m.end() - 1);
      Table t = table(name, sql.substring(m.end(), end));
      tables.put(name.toLowerCase(Locale.ROOT), t);
      from = end;
    }
    return tables;
  }

  private static Table table(String name, String body) {
    Map<String, Column> columns = new LinkedHashMap<>();
    List<String> pk = new ArrayList<>();
    for (String item : splitTopLevel(body)) {
      String s = item.trim();
      String upper = s.toUpperCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      if (upper.startsWith("PRIMARY KEY")
          || upper.matches("CONSTRAINT\\s+\\S+\\s+PRIMARY\\s+KEY.*")) {
        String cols = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
        for (String c : cols.split(",")) {
          pk.add(unquote(c.trim().split("\\s+")[0]));
        }
        continue;
      }
      if (upper.matches("(CONSTRAINT|KEY|INDEX|UNIQUE|FOREIGN|CHECK|FULLTEXT|SPATIAL)\\b.*")) {
        continue;
      }
      String[] words = s.split("\\s+");
      String col = unquote(words[0]);
      String type = words[1].toLowerCase(Locale.ROOT).replaceAll("\\(.*", "");
      columns.put(col.toLowerCase(Locale.ROOT), new Column(col, type, upper.contains(" UNSIGNED")));
      if (upper.contains("PRIMARY KEY")) {
        pk.add(col);
      }
    }
    return new Table(name, columns, pk);
  }

  private static int closingParen(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses after offset " + open);
  }

  private static List<String> splitTopLevel(String body) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder cur = new StringBuilder();
    for (char c : body.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    out.add(cur.toString());
    return out;
  }

  private static String unquote(String s) {
    return s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
  }
}
