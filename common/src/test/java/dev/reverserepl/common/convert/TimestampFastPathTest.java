package dev.reverserepl.common.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The formatter-free reading of change-record timestamps and writing of MySQL datetimes agree with
 * the formatters on every value, and leave every other form to them.
 */
class TimestampFastPathTest {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  @Test
  void canonicalTimestampsReadAsTheFormatterReadsThem() {
    Random r = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_000_000_000L));
      int digits = r.nextInt(10);
      int fraction = r.nextInt(1_000_000_000);
      String base = instant.toString().substring(0, 19);
      String text =
          base
              + (digits == 0 ? "" : "." + String.format("%09d", fraction).substring(0, digits))
              + "Z";
      LocalDateTime expected = OffsetDateTime.parse(text).toLocalDateTime();
      assertEquals(expected, SpannerValues.canonicalUtc(text), text);
    }
  }

  @Test
  void otherFormsAreLeftToTheFormatters() {
    for (String text :
        new String[] {
          "2026-01-01 00:00:00Z",
          "2026-01-01T00:00:00+01:00",
          "2026-01-01T00:00Z",
          "2026-01-01T00:00:00.Z",
          "2026-01-01T00:00:00.1234567890Z",
          "2026-01-01T0a:00:00Z",
          "+12026-01-01T00:00:00Z",
          "2026-01-01T00:00:00z"
        }) {
      assertNull(SpannerValues.canonicalUtc(text), text);
    }
  }

  @Test
  void impossibleFieldsAreRejectedAsTheFormatterRejectsThem() {
    for (String text :
        new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z"}) {
      assertThrows(DateTimeException.class, () -> OffsetDateTime.parse(text), text);
      assertThrows(DateTimeException.class, () -> SpannerValues.canonicalUtc(text), text);
    }
  }

  @Test
  void datetimesAreWrittenAsTheFormatterWritesThem() {
    Random r = new Random(6);
    for (int i = 0; i < 20_000; i++) {
      LocalDateTime t =
          LocalDateTime.ofEpochSecond(
              r.nextLong(-62_000_000_000L, 253_000_000_000L),
              r.nextBoolean() ? 0 : r.nextInt(1_000_000) * 1000,
              ZoneOffset.UTC);
      int micros = t.getNano() / 1000;
      String expected = SECONDS.format(t) + (micros == 0 ? "" : String.format(".%06d", micros));
      assertEquals(expected, DateTimeType.format(t), t.toString());
    }
  }
}
