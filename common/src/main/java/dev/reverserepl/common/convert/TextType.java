package dev.reverserepl.common.convert;

import java.nio.charset.StandardCharsets;

/**
 * char, varchar, the text family, enum and set. char/varchar(n) limits are characters (code
 * points); the text family's limits are bytes, checked against the UTF-8 length. A set column also
 * takes ARRAY&lt;STRING&gt;, joined with commas. Other scalar Spanner types are written as their
 * change-stream text (e.g. INT64 into varchar).
 */
final class TextType implements MySqlType {
  private final long maxBytes; // 0: the limit is the column's char length

  TextType(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    String value = in.isArray() ? joinSet(in) : scalarText(in);
    if (maxBytes > 0) {
      long bytes = utf8Length(value);
      if (bytes > maxBytes) {
        throw in.fail(
            bytes + " bytes exceed the " + maxBytes + "-byte limit of " + in.target().name());
      }
    } else if (in.hasMod(0)) {
      long chars = value.codePointCount(0, value.length());
      long max = in.mod(0, 0);
      if (chars > max) {
        throw in.fail(chars + " characters exceed " + in.target().name() + "(" + max + ")");
      }
    }
    return value;
  }

  private static String scalarText(ConversionInput in) throws ValueConversionException {
    switch (in.spannerType()) {
      case "STRING":
      case "INT64":
      case "NUMERIC":
      case "DATE":
      case "TIMESTAMP":
      case "BOOL":
        return in.text();
      case "JSON":
        return in.node().isTextual() ? in.node().textValue() : in.node().toString();
      case "FLOAT64":
      case "FLOAT32":
        double d = SpannerValues.floating(in);
        return in.node().isNumber() ? in.node().asText() : Double.toString(d);
      default:
        throw in.unsupported();
    }
  }

  private static String joinSet(ConversionInput in) throws ValueConversionException {
    if (!in.target().name().equals("set") || !in.spannerType().equals("STRING")) {
      throw in.unsupported();
    }
    if (!in.node().isArray()) {
      throw in.fail("expected a JSON array");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < in.node().size(); i++) {
      var element = in.node().get(i);
      if (!element.isTextual()) {
        throw in.fail("set element " + i + " is not a string");
      }
      if (element.textValue().indexOf(',') >= 0) {
        throw in.fail("set element " + i + " contains a comma");
      }
      sb.append(i == 0 ? "" : ",").append(element.textValue());
    }
    return sb.toString();
  }

  static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
