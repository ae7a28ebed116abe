package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.util.Map;

/**
 * One confirmed difference: a row MISSING from MySQL, an EXTRA row only MySQL has, or a DIFFERENT
 * row with the differing columns as {@code column -> [expected, actual]} (canonical texts).
 */
public record RowDiff(Kind kind, String key, Map<String, String[]> columns) {
  public enum Kind {
    MISSING,
    EXTRA,
    DIFFERENT
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("kind", kind.name());
    o.put("key", key);
    if (!columns.isEmpty()) {
      ObjectNode cols = o.putObject("columns");
      columns.forEach(
          (c, v) -> {
            ObjectNode d = cols.putObject(c);
            d.put("expected", show(v[0]));
            d.put("actual", show(v[1]));
          });
    }
    return o;
  }

  private static String show(String v) {
    return v == null || v.equals(ColumnCodec.NULL) ? null : v;
  }
}
