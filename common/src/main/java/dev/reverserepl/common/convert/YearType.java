package dev.reverserepl.common.convert;

/**
 * year: from INT64 or STRING, 0 or 1901..2155. Two-digit years are refused: MySQL would silently
 * map 70 to 1970.
 */
final class YearType implements MySqlType {
  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (!(in.is("INT64") || in.is("STRING"))) {
      throw in.unsupported();
    }
    String text = in.text();
    int year;
    try {
      year = SpannerValues.integer(in, text).intValueExact();
    } catch (ArithmeticException e) {
      throw in.fail("out of range for year", e);
    }
    if (year != 0 && (year < 1901 || year > 2155)) {
      throw in.fail("out of range for year (0 or 1901..2155)");
    }
    return year;
  }
}
