package dev.reverserepl.common.convert;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * datetime and timestamp: the instant is shown in the source's time-zone offset (the wall-clock
 * time the source would have stored) and bound as text {@code yyyy-MM-dd HH:mm:ss[.ffffff]}, which
 * keeps microseconds on every server and driver version. Digits below the microsecond, or beyond an
 * explicit column precision, are an error. A timestamp column also rejects values outside
 * 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC.
 */
final class DateTimeType implements MySqlType {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
  private static final Instant TIMESTAMP_MIN = Instant.parse("1970-01-01T00:00:01Z");
  private static final Instant TIMESTAMP_MAX = Instant.parse("2038-01-19T03:14:07.999999Z");

  private final boolean timestamp;

  DateTimeType(boolean timestamp) {
    this.timestamp = timestamp;
  }

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray()) {
      throw in.unsupported();
    }
    LocalDateTime value;
    switch (in.spannerType()) {
      case "TIMESTAMP":
      case "STRING":
        value = SpannerValues.wallClock(in, in.text(), in.sourceOffset());
        break;
      case "DATE":
        value = SpannerValues.date(in, in.text()).atStartOfDay();
        break;
      default:
        throw in.unsupported();
    }
    int nanos = value.getNano();
    if (nanos % 1000 != 0) {
      throw in.fail("has digits below the microsecond, which MySQL cannot store");
    }
    // The session file usually omits the precision; only an explicit one is enforced here.
    List<Long> mods = in.target().mods();
    if (!mods.isEmpty() && mods.get(0) != null && mods.get(0) >= 0 && mods.get(0) < 6) {
      long fsp = mods.get(0);
      long unit = (long) Math.pow(10, 9 - fsp);
      if (nanos % unit != 0) {
        throw in.fail("has more fractional digits than " + in.target().name() + "(" + fsp + ")");
      }
    }
    if (timestamp) {
      Instant instant = value.toInstant(in.sourceOffset());
      if (instant.isBefore(TIMESTAMP_MIN) || instant.isAfter(TIMESTAMP_MAX)) {
        throw in.fail("outside the timestamp range 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC");
      }
    }
    return format(value);
  }

  static String format(LocalDateTime value) {
    int year = value.getYear();
    if (year >= 1000 && year <= 9999) {
      // Every value MySQL can store: written without a formatter, as it is on every row's path.
      StringBuilder b = new StringBuilder(26).append(year).append('-');
      two(b, value.getMonthValue()).append('-');
      two(b, value.getDayOfMonth()).append(' ');
      two(b, value.getHour()).append(':');
      two(b, value.getMinute()).append(':');
      two(b, value.getSecond());
      int micros = value.getNano() / 1000;
      if (micros != 0) {
        String m = Integer.toString(micros);
        b.append('.').append("000000", 0, 6 - m.length()).append(m);
      }
      return b.toString();
    }
    String s = SECONDS.format(value);
    int micros = value.getNano() / 1000;
    return micros == 0 ? s : s + "." + String.format("%06d", micros);
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
