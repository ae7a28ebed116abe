package dev.reverserepl.common.convert;

import java.nio.charset.StandardCharsets;

/**
 * binary, varbinary and the blob family, bound as {@code byte[]}: BYTES are base64-decoded exactly;
 * a STRING is written as its UTF-8 bytes. Limits are bytes. binary(n) pads shorter values with zero
 * bytes, as MySQL defines.
 */
final class BinaryType implements MySqlType {
  private final long maxBytes; // 0: the limit is the column's length modifier

  BinaryType(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    byte[] value;
    switch (in.spannerType()) {
      case "BYTES":
        value = SpannerValues.base64(in, in.text());
        break;
      case "STRING":
        value = in.text().getBytes(StandardCharsets.UTF_8);
        break;
      default:
        throw in.unsupported();
    }
    long max =
        maxBytes > 0
            ? maxBytes
            : in.mod(0, in.target().name().equals("binary") ? 1 : Long.MAX_VALUE);
    if (value.length > max) {
      throw in.fail(value.length + " bytes exceed " + in.target().name() + "(" + max + ")");
    }
    return value;
  }
}
