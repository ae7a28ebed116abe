package dev.reverserepl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The printed result table: section, what was measured, figure, and comparison. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  void add(String section, String what, String figure, String note) {
    rows.add(new String[] {section, what, figure, note});
  }

  void print(PrintStream out) {
    String[] head = {"section", "measured", "figure", "vs / note"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    out.println();
    line(out, head, w);
    StringBuilder sep = new StringBuilder();
    for (int x : w) {
      sep.append("-".repeat(x)).append("-+-");
    }
    out.println(sep.substring(0, sep.length() - 3));
    for (String[] r : rows) {
      line(out, r, w);
    }
  }

  private static void line(PrintStream out, String[] r, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      sb.append(String.format("%-" + w[i] + "s", r[i]));
      if (i < r.length - 1) {
        sb.append(" | ");
      }
    }
    out.println(sb);
  }
}
