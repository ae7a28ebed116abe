package dev.reverserepl.common.convert;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Strict parsers for the textual forms Spanner change streams use. Nothing is trimmed, rounded or
 * guessed.
 */
final class SpannerValues {
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** {@code yyyy-MM-dd HH:mm:ss[.f{1,9}]} with a {@code T} or space, strict calendar. */
  private static final DateTimeFormatter LOCAL_DATE_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd")
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private SpannerValues() {}

  static BigInteger integer(ConversionInput in, String text) throws ValueConversionException {
    if (!INTEGER.matcher(text).matches()) {
      throw in.fail("not an integer");
    }
    return new BigInteger(text);
  }

  static BigDecimal decimal(ConversionInput in, String text) throws ValueConversionException {
    if (!DECIMAL.matcher(text).matches()) {
      throw in.fail(
          isNonFinite(text)
              ? "NaN and infinities cannot be stored in a " + in.target().name() + " column"
              : "not a number");
    }
    return new BigDecimal(text);
  }

  static boolean isNonFinite(String text) {
    return text.equals("NaN")
        || text.equals("Infinity")
        || text.equals("-Infinity")
        || text.equals("+Infinity");
  }

  /**
   * A FLOAT64/FLOAT32 value: a JSON number or one of the strings "NaN", "Infinity", "-Infinity".
   */
  static double floating(ConversionInput in) throws ValueConversionException {
    if (in.node().isNumber()) {
      return in.node().doubleValue();
    }
    String text = in.text();
    if (text.equals("NaN")) {
      return Double.NaN;
    }
    if (text.equals("Infinity") || text.equals("+Infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (text.equals("-Infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    return decimal(in, text).doubleValue();
  }

  static byte[] base64(ConversionInput in, String text) throws ValueConversionException {
    if (!isBase64(text)) {
      throw in.fail("not valid base64");
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw in.fail("not valid base64", e);
    }
  }

  /**
   * Standard base64 with its padding: whole groups of four, {@code =} only as the last one or two
   * characters. A loop, not a regular expression: binary columns are long and the expression
   * backtracked over every group.
   */
  static boolean isBase64(String s) {
    int n = s.length();
    if (n % 4 != 0) {
      return false;
    }
    int pad = n > 0 && s.charAt(n - 1) == '=' ? (s.charAt(n - 2) == '=' ? 2 : 1) : 0;
    for (int i = 0; i < n - pad; i++) {
      char c = s.charAt(i);
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (!alphabet) {
        return false;
      }
    }
    return true;
  }

  static LocalDate date(ConversionInput in, String text) throws ValueConversionException {
    if (!DATE.matcher(text).matches()) {
      throw in.fail("not a date (YYYY-MM-DD)");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException e) {
      throw in.fail("not a valid date", e);
    }
  }

  /**
   * An instant from RFC 3339 text (with {@code Z} or an offset), or a wall-clock time without zone
   * taken as the source's own local time.
   */
  static LocalDateTime wallClock(ConversionInput in, String text, ZoneOffset sourceOffset)
      throws ValueConversionException {
    try {
      LocalDateTime utc = canonicalUtc(text);
      if (utc != null) {
        return sourceOffset.getTotalSeconds() == 0
            ? utc
            : LocalDateTime.ofInstant(utc.toInstant(ZoneOffset.UTC), sourceOffset);
      }
      if (hasZone(text)) {
        Instant instant = OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        return LocalDateTime.ofInstant(instant, sourceOffset);
      }
      return LocalDateTime.parse(text, LOCAL_DATE_TIME);
    } catch (DateTimeException e) {
      throw in.fail("not a valid timestamp (RFC 3339)", e);
    }
  }

  /**
   * The form change records carry, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, read without a formatter
   * (it is on every timestamp's path); null for any other form, which the formatters read.
   * Out-of-range fields throw as the formatters' strict resolution does.
   */
  static LocalDateTime canonicalUtc(String t) {
    int n = t.length();
    if (n < 20 || n == 21 || n > 30 || t.charAt(n - 1) != 'Z') {
      return null;
    }
    if (t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T') {
      return null;
    }
    if (t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 20 && t.charAt(19) != '.')) {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int fraction = n > 20 ? digits(t, 20, n - 1) : 0;
    if ((year | month | day | hour | minute | second | fraction) < 0) {
      return null;
    }
    for (int i = n - 1; i < 29; i++) {
      fraction *= 10;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second, fraction);
  }

  // The value of the decimal digits t[from, to), or -1 when one is not a digit.
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean hasZone(String text) {
    if (text.endsWith("Z") || text.endsWith("z")) {
      return true;
    }
    int t = Math.max(text.indexOf('T'), text.indexOf(' '));
    return t > 0 && (text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0);
  }
}
