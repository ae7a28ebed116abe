package dev.reverserepl.common.convert;

/**
 * float, double (also real, double precision). MySQL cannot store NaN or infinities; a value beyond
 * the float range is an error. A FLOAT column stores the nearest float, as MySQL always does.
 */
final class FloatingPointType implements MySqlType {
  private final boolean singlePrecision;

  FloatingPointType(boolean singlePrecision) {
    this.singlePrecision = singlePrecision;
  }

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    double value;
    switch (in.spannerType()) {
      case "FLOAT64":
      case "FLOAT32":
        value = SpannerValues.floating(in);
        break;
      case "STRING":
      case "NUMERIC":
      case "INT64":
        String text = in.text();
        if (SpannerValues.isNonFinite(text)) {
          throw in.fail("NaN and infinities cannot be stored in MySQL");
        }
        value = SpannerValues.decimal(in, text).doubleValue();
        break;
      default:
        throw in.unsupported();
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw in.fail("NaN and infinities cannot be stored in MySQL");
    }
    if (singlePrecision) {
      float f = (float) value;
      if (Float.isInfinite(f)) {
        throw in.fail("out of range for float");
      }
      // The column stores this float anyway; binding it avoids a server range check against the
      // unrounded double
      // (3.4028235E38 is Float.MAX_VALUE printed, but as a double it is above FLT_MAX).
      return (double) f;
    }
    return value;
  }
}
