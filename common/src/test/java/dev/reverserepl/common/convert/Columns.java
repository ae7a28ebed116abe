package dev.reverserepl.common.convert;

import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SourceType;
import dev.reverserepl.common.session.SpannerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds column mappings for tests: {@code col("c", "INT64", "int")}, {@code col("c", "STRING",
 * "varchar", 10)}.
 */
final class Columns {
  private Columns() {}

  static ColumnMapping col(String name, String spannerType, String mysqlType, long... mods) {
    boolean array = spannerType.startsWith("ARRAY<");
    String base = array ? spannerType.substring(6, spannerType.length() - 1) : spannerType;
    List<Long> m = new ArrayList<>();
    for (long mod : mods) {
      m.add(mod);
    }
    boolean unsigned = mysqlType.endsWith(" unsigned");
    String mysql = unsigned ? mysqlType.substring(0, mysqlType.length() - 9) : mysqlType;
    return new ColumnMapping(
        name, new SpannerType(base, array, 0), name, new SourceType(mysql, m, unsigned), true);
  }

  static ColumnMapping notNull(ColumnMapping c) {
    return new ColumnMapping(
        c.spannerColumn(), c.spannerType(), c.sourceColumn(), c.sourceType(), false);
  }
}
