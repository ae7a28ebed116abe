package dev.reverserepl.common.convert;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * bit(n): bound as big-endian bytes. From BYTES (base64, as in the forward migration), INT64 (two's
 * complement, 64 bits), BOOL (bit(1)) or STRING (an unsigned decimal number or a {@code b'0101'}
 * literal). A value with a 1 bit above bit n is an error.
 */
final class BitType implements MySqlType {
  private static final Pattern BIT_LITERAL = Pattern.compile("[bB]'[01]+'");

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    int width = (int) Math.min(64, in.mod(0, 1));
    BigInteger value;
    switch (in.spannerType()) {
      case "BYTES":
        value = new BigInteger(1, SpannerValues.base64(in, in.text()));
        break;
      case "INT64":
        long l = SpannerValues.integer(in, in.text()).longValue();
        checkInt64(in, in.text());
        value = new BigInteger(Long.toUnsignedString(l));
        break;
      case "BOOL":
        if (!in.node().isBoolean()) {
          throw in.fail("not a boolean");
        }
        value = in.node().booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
        break;
      case "STRING":
        String text = in.text();
        value =
            BIT_LITERAL.matcher(text).matches()
                ? new BigInteger(text.substring(2, text.length() - 1), 2)
                : SpannerValues.integer(in, text);
        break;
      default:
        throw in.unsupported();
    }
    if (value.signum() < 0 || value.bitLength() > width) {
      throw in.fail("does not fit in bit(" + width + ")");
    }
    byte[] bytes = value.toByteArray(); // may carry a leading sign byte
    int size = (width + 7) / 8;
    byte[] out = new byte[size];
    int copy = Math.min(size, bytes.length);
    System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
    return out;
  }

  private static void checkInt64(ConversionInput in, String text) throws ValueConversionException {
    BigInteger v = new BigInteger(text);
    if (v.bitLength() > 63) {
      throw in.fail("out of INT64 range");
    }
  }
}
