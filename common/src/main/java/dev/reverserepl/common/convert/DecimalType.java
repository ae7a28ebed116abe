package dev.reverserepl.common.convert;

import java.math.BigDecimal;

/**
 * decimal/numeric(p,s): exact; a value needing more integer digits or more scale than the column is
 * an error.
 */
final class DecimalType implements MySqlType {
  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    BigDecimal value;
    switch (in.spannerType()) {
      case "NUMERIC":
      case "STRING":
      case "INT64":
        value = SpannerValues.decimal(in, in.text());
        break;
      case "FLOAT64":
      case "FLOAT32":
        double d = SpannerValues.floating(in);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw in.fail("NaN and infinities cannot be stored in a decimal column");
        }
        // the shortest decimal that reads back as the same double, not the binary expansion
        value =
            in.node().isNumber() ? in.node().decimalValue() : new BigDecimal(Double.toString(d));
        break;
      default:
        throw in.unsupported();
    }
    long precision = in.mod(0, 10);
    java.util.List<Long> mods = in.target().mods();
    long scale = mods.size() > 1 && mods.get(1) != null ? Math.max(0, mods.get(1)) : 0;
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > scale) {
      throw in.fail("has more than " + scale + " digits after the point (would be rounded)");
    }
    long integerDigits = Math.max(0, stripped.precision() - stripped.scale());
    if (integerDigits > precision - scale) {
      throw in.fail("out of range for decimal(" + precision + "," + scale + ")");
    }
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
