package dev.reverserepl.common.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SourceType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Makes change-stream JSON values that the mapped MySQL column accepts unchanged, so that a
 * replicated row can be compared exactly. Values whose MySQL form the session cannot tell (ENUM and
 * SET members) are NULL when the column allows it.
 */
final class ValueGenerator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String PLAIN =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String[] SPICE = {
    "'", "\"", "\\", "`", "%", "_", ";", " ", "é", "中", "\n", "\u0000"
  };
  private static final String FOUR_BYTE = "\uD83D\uDE80";
  private static final long DAY_2037 = LocalDate.of(2037, 12, 31).toEpochDay();
  private static final long DAY_1971 = LocalDate.of(1971, 1, 2).toEpochDay();

  private final Random random;

  ValueGenerator(Random random) {
    this.random = random;
  }

  /** A non-key value; may be NULL when both sides allow it. */
  JsonNode value(SpannerTables.Column sp, ColumnMapping mapping) {
    boolean nullable = !sp.notNull() && (mapping == null || mapping.sourceNullable());
    if (nullable && random.nextInt(10) == 0) {
      return F.nullNode();
    }
    JsonNode v =
        mapping == null || mapping.sourceType() == null
            ? spannerValue(sp)
            : sourceValue(sp, mapping.sourceType());
    if (v == null) {
      if (!nullable) {
        throw new IllegalArgumentException(
            "cannot generate a value for NOT NULL column "
                + sp.name()
                + " of source type "
                + sp.sourceType()
                + ": its allowed values are not in the session file");
      }
      return F.nullNode();
    }
    return v;
  }

  /** The n-th distinct key value for a key column. */
  JsonNode key(SpannerTables.Column sp, ColumnMapping mapping, long n) {
    String base =
        mapping == null || mapping.sourceType() == null ? "" : baseName(mapping.sourceType());
    switch (sp.type()) {
      case "INT64":
      case "NUMERIC":
        return F.textNode(Long.toString(n));
      case "FLOAT64":
      case "FLOAT32":
        return F.numberNode((double) n);
      case "BYTES":
        return F.textNode(Base64.getEncoder().encodeToString(BigInteger.valueOf(n).toByteArray()));
      case "DATE":
        return F.textNode(LocalDate.ofEpochDay(DAY_1971 + n).toString());
      case "TIMESTAMP":
        return F.textNode(Instant.ofEpochSecond(86_400L * 366 + n).toString());
      case "BOOL":
        return F.booleanNode(n % 2 == 1);
      default:
        if (isIntegral(base)) {
          return F.textNode(Long.toString(n));
        }
        String s = "k" + n;
        long max = maxLength(sp, mapping);
        return F.textNode(max > 0 && s.length() > max ? s.substring(s.length() - (int) max) : s);
    }
  }

  /** The largest key number a key column can hold, so the generator never makes two equal keys. */
  long keyCapacity(SpannerTables.Column sp, ColumnMapping mapping) {
    String base =
        mapping == null || mapping.sourceType() == null ? "" : baseName(mapping.sourceType());
    if (sp.type().equals("BOOL")) {
      return 1;
    }
    if (isIntegral(base)) {
      return intRange(base, mapping.sourceType().unsigned())[1];
    }
    if (sp.type().equals("STRING")) {
      long max = maxLength(sp, mapping);
      return max <= 0 || max >= 18 ? Long.MAX_VALUE : (long) Math.pow(10, max - 1) - 1;
    }
    return Long.MAX_VALUE;
  }

  private JsonNode sourceValue(SpannerTables.Column sp, SourceType type) {
    String base = baseName(type);
    List<Long> mods = type.mods() == null ? List.of() : type.mods();
    if (sp.array()) {
      return null;
    }
    switch (base) {
      case "tinyint":
      case "smallint":
      case "mediumint":
      case "int":
      case "integer":
      case "bigint":
        if (sp.type().equals("BOOL")) {
          return F.booleanNode(random.nextBoolean());
        }
        long[] range = intRange(base, type.unsigned());
        // Session files drop UNSIGNED for all but bigint: stay in the range both signednesses hold.
        long lo = Math.max(Math.max(range[0], 0), -1_000_000_000_000L);
        long hi = Math.min(range[1], 1_000_000_000_000L);
        return F.textNode(Long.toString(lo + (long) (random.nextDouble() * (hi - lo))));
      case "bit":
        long bits = mods.isEmpty() ? 1 : mods.get(0);
        if (sp.type().equals("BOOL")) {
          return F.booleanNode(random.nextBoolean());
        }
        if (sp.type().equals("INT64")) {
          long v = random.nextLong() & Long.MAX_VALUE;
          return F.textNode(Long.toString(bits >= 63 ? v : v & ((1L << bits) - 1)));
        }
        return null;
      case "decimal":
      case "numeric":
        {
          int precision = mods.isEmpty() ? 10 : mods.get(0).intValue();
          int scale = mods.size() < 2 ? 0 : mods.get(1).intValue();
          int intDigits = Math.min(precision - scale, 12);
          BigInteger unscaled = new BigInteger(Math.max(1, (intDigits + scale) * 3), random);
          BigDecimal d = new BigDecimal(unscaled, scale);
          if (d.precision() - d.scale() > precision - scale) {
            d = BigDecimal.ZERO.setScale(scale);
          }
          return F.textNode((random.nextBoolean() ? d.negate() : d).toPlainString());
        }
      case "float":
      case "double":
      case "real":
        {
          double v = (random.nextInt(2_000_000) - 1_000_000) / 8.0;
          return sp.type().equals("STRING") ? F.textNode(Double.toString(v)) : F.numberNode(v);
        }
      case "char":
      case "varchar":
      case "tinytext":
      case "text":
      case "mediumtext":
      case "longtext":
        return F.textNode(text(sp, type, (int) Math.min(40, limit(sp, mods))));
      case "binary":
      case "varbinary":
      case "tinyblob":
      case "blob":
      case "mediumblob":
      case "longblob":
        {
          boolean fixed = base.equals("binary");
          int n =
              fixed
                  ? (int) (mods.isEmpty() ? 1 : mods.get(0))
                  : 1 + random.nextInt((int) Math.min(64, limit(sp, mods)));
          if (sp.type().equals("BYTES")) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return F.textNode(Base64.getEncoder().encodeToString(b));
          }
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < n; i++) {
            sb.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
          }
          return F.textNode(sb.toString());
        }
      case "date":
        return F.textNode(
            LocalDate.ofEpochDay(DAY_1971 + (long) (random.nextDouble() * (DAY_2037 - DAY_1971)))
                .toString());
      case "datetime":
      case "timestamp":
        {
          long day = DAY_1971 + (long) (random.nextDouble() * (DAY_2037 - DAY_1971));
          // Fractional seconds only as far as the column keeps them (its precision is the first
          // mod, 0 if absent).
          int fsp = mods.isEmpty() ? 0 : (int) Math.min(6, mods.get(0));
          long micros =
              fsp == 0
                  ? 0
                  : random.nextInt(1_000_000)
                      / (long) Math.pow(10, 6 - fsp)
                      * (long) Math.pow(10, 6 - fsp);
          Instant t =
              LocalDate.ofEpochDay(day)
                  .atStartOfDay()
                  .toInstant(java.time.ZoneOffset.UTC)
                  .plusSeconds(random.nextInt(86_400))
                  .plus(micros, ChronoUnit.MICROS);
          return F.textNode(t.toString());
        }
      case "time":
        return F.textNode(
            String.format(
                Locale.ROOT,
                "%02d:%02d:%02d",
                random.nextInt(24),
                random.nextInt(60),
                random.nextInt(60)));
      case "year":
        return F.textNode(Integer.toString(1901 + random.nextInt(255)));
      case "json":
        {
          ObjectNode o = F.objectNode();
          o.put("n", random.nextInt(1000));
          o.put("s", text(sp, type, 8));
          ArrayNode a = o.putArray("a");
          a.add(random.nextBoolean());
          return F.textNode(o.toString());
        }
      default:
        return null;
    }
  }

  private JsonNode spannerValue(SpannerTables.Column sp) {
    if (sp.array()) {
      return F.arrayNode();
    }
    switch (sp.type()) {
      case "INT64":
        return F.textNode(Long.toString(random.nextInt(1_000_000)));
      case "NUMERIC":
        return F.textNode(random.nextInt(100_000) + "." + random.nextInt(100));
      case "FLOAT64":
      case "FLOAT32":
        return F.numberNode(random.nextInt(1000) / 4.0);
      case "BOOL":
        return F.booleanNode(random.nextBoolean());
      case "BYTES":
        return F.textNode(Base64.getEncoder().encodeToString(new byte[] {(byte) random.nextInt()}));
      case "DATE":
        return F.textNode(LocalDate.ofEpochDay(DAY_1971 + random.nextInt(10_000)).toString());
      case "TIMESTAMP":
        return F.textNode(
            Instant.ofEpochSecond(86_400L * 400 + random.nextInt(1_000_000_000)).toString());
      case "JSON":
        return F.textNode("{\"n\":" + random.nextInt(100) + "}");
      default:
        return F.textNode(text(sp, null, (int) Math.min(20, sp.length() > 0 ? sp.length() : 20)));
    }
  }

  private String text(SpannerTables.Column sp, SourceType type, int max) {
    int n = 1 + random.nextInt(Math.max(1, max));
    // The session rarely names the column's character set; 4-byte UTF-8 only where it says utf8mb4.
    boolean fourByteOk =
        sp.sourceType() == null || sp.sourceType().toLowerCase(Locale.ROOT).contains("utf8mb4");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(10);
      if (pick == 0) {
        String s = SPICE[random.nextInt(SPICE.length)];
        sb.append(s);
      } else if (pick == 1 && fourByteOk && i + 2 <= n) {
        sb.append(FOUR_BYTE);
        i++;
      } else {
        sb.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
      }
    }
    // MySQL pads CHAR and compares VARCHAR keys with trailing spaces ignored: never end on white
    // space.
    while (sb.length() > 0 && Character.isWhitespace(sb.charAt(sb.length() - 1))) {
      sb.setLength(sb.length() - 1);
    }
    if (sb.length() == 0 || sb.codePointCount(0, sb.length()) > max) {
      return "x";
    }
    return sb.toString();
  }

  private static long limit(SpannerTables.Column sp, List<Long> mods) {
    long l = mods.isEmpty() ? 255 : mods.get(0);
    if (sp.length() > 0) {
      l = Math.min(l, sp.length());
    }
    return Math.max(1, l);
  }

  private static long maxLength(SpannerTables.Column sp, ColumnMapping mapping) {
    long max = sp.length();
    if (mapping != null
        && mapping.sourceType() != null
        && !mapping.sourceType().mods().isEmpty()
        && !isIntegral(baseName(mapping.sourceType()))) {
      long m = mapping.sourceType().mods().get(0);
      max = max <= 0 ? m : Math.min(max, m);
    }
    return max;
  }

  static String baseName(SourceType type) {
    String n = type.name().toLowerCase(Locale.ROOT).trim();
    int space = n.indexOf(' ');
    return space < 0 ? n : n.substring(0, space);
  }

  private static boolean isIntegral(String base) {
    switch (base) {
      case "tinyint":
      case "smallint":
      case "mediumint":
      case "int":
      case "integer":
      case "bigint":
        return true;
      default:
        return false;
    }
  }

  private static long[] intRange(String base, boolean unsigned) {
    int bits;
    switch (base) {
      case "tinyint":
        bits = 8;
        break;
      case "smallint":
        bits = 16;
        break;
      case "mediumint":
        bits = 24;
        break;
      case "int":
      case "integer":
        bits = 32;
        break;
      default:
        bits = 64;
    }
    if (bits == 64) {
      return unsigned
          ? new long[] {0, Long.MAX_VALUE}
          : new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
    }
    return unsigned
        ? new long[] {0, (1L << bits) - 1}
        : new long[] {-(1L << (bits - 1)), (1L << (bits - 1)) - 1};
  }
}
