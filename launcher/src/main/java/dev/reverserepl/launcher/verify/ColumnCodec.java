package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical text of a column value, so that equal data compares equal whichever side it came from.
 * The expected side is the JDBC parameter the writer would bind ({@code
 * MySqlValueConverter.toJdbc}); the MySQL side is read through {@link #selectExpression}, which
 * lets the server format temporal, bit and year values (no driver time-zone or type-mapping
 * conversions in between). Rules:
 *
 * <ol>
 *   <li>Integers, year and bit compare as integers; decimal as numbers without trailing zeros;
 *       float as 32-bit and double as 64-bit floating point.
 *   <li>datetime and timestamp compare to the microsecond ({@code yyyy-MM-dd HH:mm:ss.ffffff},
 *       timestamp in the source offset); time without trailing fractional zeros.
 *   <li>Binary values compare as hex; binary(n) is padded with zero bytes to n as MySQL stores it;
 *       char ignores trailing spaces as MySQL returns it.
 *   <li>json compares as JSON (object keys sorted), not as text.
 * </ol>
 */
final class ColumnCodec {
  static final String NULL = "\u0000NULL";
  private static final DateTimeFormatter PARSE =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private ColumnCodec() {}

  static String type(ColumnMapping c) {
    return c.sourceType().name().toLowerCase(Locale.ROOT);
  }

  /** The SELECT expression reading {@code quoted} (a quoted column name) for {@link #fromMySql}. */
  static String selectExpression(String quoted, ColumnMapping c) {
    return switch (type(c)) {
      case "datetime", "timestamp" -> "DATE_FORMAT(" + quoted + ", '%Y-%m-%d %H:%i:%s.%f')";
      case "date" -> "DATE_FORMAT(" + quoted + ", '%Y-%m-%d')";
      case "time", "json" -> "CAST(" + quoted + " AS CHAR)";
      case "year", "bit" -> "CAST(" + quoted + " AS UNSIGNED)";
      // The text protocol rounds FLOAT to 6 significant digits; read the stored single-precision
      // value whole.
      case "float" -> "CAST(" + quoted + " AS DOUBLE)";
      default -> quoted;
    };
  }

  static String fromMySql(ResultSet rs, int index, ColumnMapping c) throws SQLException {
    String t = type(c);
    switch (t) {
      case "float" -> {
        double d = rs.getDouble(index);
        return rs.wasNull() ? NULL : Float.toString((float) d);
      }
      case "double", "real", "double precision" -> {
        double d = rs.getDouble(index);
        return rs.wasNull() ? NULL : Double.toString(d);
      }
      case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> {
        byte[] b = rs.getBytes(index);
        return b == null ? NULL : HexFormat.of().formatHex(b);
      }
      default -> {
        if (isInteger(t) || isDecimal(t)) {
          BigDecimal d = rs.getBigDecimal(index);
          return d == null ? NULL : number(d);
        }
        String s = rs.getString(index);
        return s == null ? NULL : text(s, c);
      }
    }
  }

  /** Canonical text of a JDBC parameter as {@code MySqlValueConverter.toJdbc} produces it. */
  static String fromJdbc(Object v, ColumnMapping c) {
    if (v == null) {
      return NULL;
    }
    String t = type(c);
    if (t.equals("float")) {
      return Float.toString(((Number) v).floatValue());
    }
    if (t.equals("double") || t.equals("real") || t.equals("double precision")) {
      return Double.toString(((Number) v).doubleValue());
    }
    if (v instanceof byte[] b) {
      if (t.equals("bit")) {
        return new BigInteger(1, b).toString();
      }
      if (t.equals("binary") && !c.sourceType().mods().isEmpty()) {
        int n = c.sourceType().mods().get(0).intValue();
        if (b.length < n) {
          b = java.util.Arrays.copyOf(b, n);
        }
      }
      return HexFormat.of().formatHex(b);
    }
    if (v instanceof Boolean bool) {
      return bool ? "1" : "0";
    }
    if (v instanceof BigDecimal d) {
      return number(d);
    }
    if (v instanceof Number n) {
      return number(new BigDecimal(n.toString()));
    }
    return text(v.toString(), c);
  }

  private static String text(String s, ColumnMapping c) {
    return switch (type(c)) {
      case "datetime", "timestamp" -> LocalDateTime.parse(s.trim(), PARSE).format(MICROS);
      case "time" -> s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
      case "json" -> json(s);
      case "char" -> s.replaceAll(" +$", "");
      default -> s;
    };
  }

  private static String number(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static boolean isInteger(String t) {
    return List.of(
            "tinyint",
            "bool",
            "boolean",
            "smallint",
            "mediumint",
            "int",
            "integer",
            "bigint",
            "year",
            "bit")
        .contains(t);
  }

  private static boolean isDecimal(String t) {
    return List.of("decimal", "dec", "numeric", "fixed").contains(t);
  }

  private static String json(String s) {
    try {
      return Json.write(sorted(Json.parse(s)));
    } catch (java.io.IOException e) {
      return s; // not JSON on this side: compare the text, the other side will differ visibly
    }
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode o = Json.object();
      for (String name : names) {
        o.set(name, sorted(n.get(name)));
      }
      return o;
    }
    if (n.isArray()) {
      var a = Json.mapper().createArrayNode();
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        a.add(sorted(it.next()));
      }
      return a;
    }
    if (n.isNumber()) {
      return Json.mapper().getNodeFactory().numberNode(new BigDecimal(number(n.decimalValue())));
    }
    return n;
  }

  static String show(Map<String, String> row) {
    return row.toString();
  }
}
