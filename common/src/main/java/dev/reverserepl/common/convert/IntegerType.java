package dev.reverserepl.common.convert;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * tinyint, smallint, mediumint, int, bigint (signed and unsigned), and bool/boolean (= tinyint(1)).
 *
 * <p>The migration tool's session file records {@code unsigned} only for bigint: an {@code INT
 * UNSIGNED} column appears as plain {@code int}. So for the smaller types without the unsigned flag
 * the accepted range is the union of both (signed minimum .. unsigned maximum); the server's strict
 * sql_mode rejects the rest with an error. With the flag, and for bigint, the range is exact.
 */
final class IntegerType implements MySqlType {
  private final int bits;

  IntegerType(int bits) {
    this.bits = bits;
  }

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    BigInteger value = integerValue(in);
    BigInteger min;
    BigInteger max;
    if (in.target().unsigned()) {
      min = BigInteger.ZERO;
      max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    } else {
      min = BigInteger.ONE.shiftLeft(bits - 1).negate();
      max =
          bits < 64
              ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
              : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw in.fail("out of range " + min + ".." + max);
    }
    return value.bitLength() < 64 ? (Object) value.longValueExact() : value;
  }

  private static BigInteger integerValue(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    switch (in.spannerType()) {
      case "BOOL":
        if (!in.node().isBoolean()) {
          throw in.fail("not a boolean");
        }
        return in.node().booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
      case "INT64":
      case "STRING":
        return SpannerValues.integer(in, in.text());
      case "NUMERIC":
        BigDecimal d = SpannerValues.decimal(in, in.text());
        try {
          return d.toBigIntegerExact();
        } catch (ArithmeticException e) {
          throw in.fail("has a fractional part", e);
        }
      default:
        throw in.unsupported();
    }
  }
}
