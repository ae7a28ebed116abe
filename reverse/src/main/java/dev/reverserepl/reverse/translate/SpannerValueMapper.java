package dev.reverserepl.reverse.translate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.ByteArray;
import com.google.cloud.Date;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.session.ColumnMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Converts a decoded source value ({@link SourceValue}) to the Spanner column's type without loss.
 * Rules:
 *
 * <ol>
 *   <li>Every value either converts exactly or fails with a {@link RowFailure} naming the column:
 *       an integer outside INT64, a decimal with more than 9 fraction digits or 29 integer digits
 *       for NUMERIC, BOOL from anything but 0/1, a string longer than the STRING length, text that
 *       is not JSON for a JSON column, arrays.
 *   <li>DATETIME is a wall-clock time in the source's zone offset (the same offset the forward
 *       direction writes with); TIMESTAMP is an instant. Both become Spanner TIMESTAMP to the
 *       microsecond.
 *   <li>NULL becomes a typed Spanner NULL.
 * </ol>
 */
public final class SpannerValueMapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final ZoneOffset sourceOffset;

  public SpannerValueMapper(ZoneOffset sourceOffset) {
    this.sourceOffset = sourceOffset;
  }

  public Value convert(ColumnMapping c, Object v) throws RowFailure {
    if (c.spannerType().array()) {
      throw new RowFailure(
          "column "
              + c.spannerColumn()
              + ": ARRAY columns are not written in the reverse direction");
    }
    String t = c.spannerType().name();
    try {
      return switch (t) {
        case "INT64" -> v == null ? Value.int64(null) : Value.int64(int64(c, v));
        case "FLOAT64" ->
            v == null ? Value.float64(null) : Value.float64(number(c, v).doubleValue());
        case "FLOAT32" ->
            v == null ? Value.float32(null) : Value.float32(number(c, v).floatValue());
        case "NUMERIC" -> v == null ? Value.numeric(null) : Value.numeric(numeric(c, v));
        case "BOOL" -> v == null ? Value.bool(null) : Value.bool(bool(c, v));
        case "STRING" -> v == null ? Value.string(null) : Value.string(string(c, v));
        case "BYTES" -> v == null ? Value.bytes(null) : Value.bytes(ByteArray.copyFrom(bytes(v)));
        case "DATE" -> v == null ? Value.date(null) : Value.date(date(c, v));
        case "TIMESTAMP" -> v == null ? Value.timestamp(null) : Value.timestamp(timestamp(c, v));
        case "JSON" -> v == null ? Value.json(null) : Value.json(json(c, v));
        default ->
            throw new RowFailure(
                "column " + c.spannerColumn() + ": Spanner type " + t + " is not supported");
      };
    } catch (ClassCastException | ArithmeticException e) {
      throw new RowFailure(
          "column "
              + c.spannerColumn()
              + ": a "
              + v.getClass().getSimpleName()
              + " value cannot be stored as "
              + t);
    }
  }

  private static long int64(ColumnMapping c, Object v) throws RowFailure {
    BigInteger b =
        v instanceof BigDecimal d
            ? d.toBigIntegerExact()
            : v instanceof Double || v instanceof Float
                ? new BigDecimal(v.toString()).toBigIntegerExact()
                : v instanceof Boolean bo
                    ? (bo ? BigInteger.ONE : BigInteger.ZERO)
                    : v instanceof String s ? new BigInteger(s) : (BigInteger) v;
    if (b.compareTo(MIN) < 0 || b.compareTo(MAX) > 0) {
      throw new RowFailure("column " + c.spannerColumn() + ": " + b + " is outside INT64");
    }
    return b.longValue();
  }

  private static Number number(ColumnMapping c, Object v) throws RowFailure {
    if (v instanceof Number n) {
      return n;
    }
    throw new RowFailure("column " + c.spannerColumn() + ": not a number");
  }

  private static BigDecimal numeric(ColumnMapping c, Object v) throws RowFailure {
    BigDecimal d =
        v instanceof BigDecimal bd
            ? bd
            : v instanceof BigInteger bi
                ? new BigDecimal(bi)
                : v instanceof Double || v instanceof Float
                    ? new BigDecimal(v.toString())
                    : new BigDecimal(v.toString());
    BigDecimal s = d.stripTrailingZeros();
    if (s.scale() > 9 || s.precision() - s.scale() > 29) {
      throw new RowFailure(
          "column "
              + c.spannerColumn()
              + ": "
              + d.toPlainString()
              + " does not fit Spanner NUMERIC (29 integer and 9 fraction digits) without rounding");
    }
    return d;
  }

  private static boolean bool(ColumnMapping c, Object v) throws RowFailure {
    if (v instanceof BigInteger b && (b.signum() == 0 || b.equals(BigInteger.ONE))) {
      return b.signum() != 0;
    }
    throw new RowFailure("column " + c.spannerColumn() + ": " + v + " is not a boolean (0 or 1)");
  }

  private String string(ColumnMapping c, Object v) throws RowFailure {
    String s =
        v instanceof byte[] b
            ? new String(b, StandardCharsets.UTF_8)
            : v instanceof LocalDateTime dt
                ? dt.toString()
                : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    long max = c.spannerType().length();
    if (max > 0 && s.codePointCount(0, s.length()) > max) {
      throw new RowFailure(
          "column "
              + c.spannerColumn()
              + ": "
              + s.codePointCount(0, s.length())
              + " characters do not fit STRING("
              + max
              + ")");
    }
    return s;
  }

  private static byte[] bytes(Object v) {
    return v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Date date(ColumnMapping c, Object v) throws RowFailure {
    if (v instanceof LocalDate d) {
      return Date.fromYearMonthDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }
    if (v instanceof LocalDateTime dt && dt.toLocalTime().toNanoOfDay() == 0) {
      return date(c, dt.toLocalDate());
    }
    throw new RowFailure("column " + c.spannerColumn() + ": " + v + " is not a date");
  }

  private Timestamp timestamp(ColumnMapping c, Object v) throws RowFailure {
    Instant i =
        v instanceof Instant in
            ? in
            : v instanceof LocalDateTime dt
                ? dt.toInstant(sourceOffset)
                : v instanceof LocalDate d ? d.atStartOfDay().toInstant(sourceOffset) : null;
    if (i == null) {
      throw new RowFailure("column " + c.spannerColumn() + ": " + v + " is not a point in time");
    }
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }

  private static String json(ColumnMapping c, Object v) throws RowFailure {
    String s = v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    try {
      JSON.readTree(s);
      return s;
    } catch (IOException e) {
      throw new RowFailure("column " + c.spannerColumn() + ": not JSON: " + e.getMessage());
    }
  }
}
