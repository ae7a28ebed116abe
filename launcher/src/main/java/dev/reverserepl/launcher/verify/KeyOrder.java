package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.session.ColumnMapping;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The order of canonical keys. For numeric, temporal and binary key columns it is the order MySQL's
 * primary key index and Spanner's ORDER BY agree on, which lets the comparison decide
 * "missing"/"extra" as it streams ({@link #agreesWithDatabases}). Text keys sort by MySQL
 * collation, which may differ from any fixed order, so for them rows wait until their partner
 * arrives.
 */
final class KeyOrder implements Comparator<List<String>> {
  private static final Set<String> NUMERIC =
      Set.of(
          "tinyint",
          "bool",
          "boolean",
          "smallint",
          "mediumint",
          "int",
          "integer",
          "bigint",
          "year",
          "bit",
          "decimal",
          "dec",
          "numeric",
          "fixed",
          "float",
          "double",
          "real");
  private static final Set<String> BYTEWISE =
      Set.of(
          "date",
          "datetime",
          "timestamp",
          "binary",
          "varbinary",
          "tinyblob",
          "blob",
          "mediumblob",
          "longblob");

  private final List<ColumnMapping> keys;

  KeyOrder(List<ColumnMapping> keys) {
    this.keys = List.copyOf(keys);
  }

  boolean agreesWithDatabases() {
    return keys.stream()
        .allMatch(
            k -> NUMERIC.contains(ColumnCodec.type(k)) || BYTEWISE.contains(ColumnCodec.type(k)));
  }

  @Override
  public int compare(List<String> a, List<String> b) {
    for (int i = 0; i < keys.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      int c;
      if (x.equals(y)) {
        continue;
      } else if (x.equals(ColumnCodec.NULL)) {
        c = -1;
      } else if (y.equals(ColumnCodec.NULL)) {
        c = 1;
      } else if (NUMERIC.contains(ColumnCodec.type(keys.get(i)))) {
        c = new BigDecimal(x).compareTo(new BigDecimal(y));
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
