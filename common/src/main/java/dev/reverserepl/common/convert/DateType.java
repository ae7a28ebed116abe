package dev.reverserepl.common.convert;

/**
 * date: from DATE or STRING, strict {@code YYYY-MM-DD} with a real calendar day; bound as that
 * text.
 */
final class DateType implements MySqlType {
  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray() || !(in.is("DATE") || in.is("STRING"))) {
      throw in.unsupported();
    }
    return SpannerValues.date(in, in.text()).toString();
  }
}
