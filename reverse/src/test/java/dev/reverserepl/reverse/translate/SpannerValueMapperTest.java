package dev.reverserepl.reverse.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SourceType;
import dev.reverserepl.common.session.SpannerType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules of {@link SpannerValueMapper}: exact or a failure naming the column. */
class SpannerValueMapperTest {
  static final SpannerValueMapper UTC = new SpannerValueMapper(ZoneOffset.UTC);

  static ColumnMapping col(String spannerType, long length) {
    return new ColumnMapping(
        "c",
        new SpannerType(spannerType, false, length),
        "c",
        new SourceType("x", List.of(), false),
        true);
  }

  @Test
  void rule1_valuesThatDoNotFitAreRowFailuresNamingTheColumn() {
    assertFails(col("INT64", 0), new BigInteger("18446744073709551615"), "outside INT64");
    assertFails(col("NUMERIC", 0), new BigDecimal("1.0000000001"), "does not fit Spanner NUMERIC");
    assertFails(col("BOOL", 0), BigInteger.valueOf(2), "not a boolean");
    assertFails(col("STRING", 3), "four", "do not fit STRING(3)");
    assertFails(col("JSON", 0), "{not json", "not JSON");
  }

  @Test
  void rule2_datetimeIsWallClockInTheSourceOffsetAndKeepsMicroseconds() throws Exception {
    LocalDateTime wall = LocalDateTime.parse("2024-05-01T10:00:00.123456");
    assertEquals(
        Value.timestamp(Timestamp.parseTimestamp("2024-05-01T10:00:00.123456Z")),
        UTC.convert(col("TIMESTAMP", 0), wall));
    assertEquals(
        Value.timestamp(Timestamp.parseTimestamp("2024-05-01T08:00:00.123456Z")),
        new SpannerValueMapper(ZoneOffset.ofHours(2)).convert(col("TIMESTAMP", 0), wall));
    assertEquals(
        Value.numeric(new BigDecimal("12.50")),
        UTC.convert(col("NUMERIC", 0), new BigDecimal("12.50")));
  }

  @Test
  void rule3_nullBecomesATypedNull() throws Exception {
    Value v = UTC.convert(col("INT64", 0), null);
    assertTrue(v.isNull());
    assertEquals(Value.int64(null).getType(), v.getType());
  }

  static void assertFails(ColumnMapping c, Object v, String text) {
    RowFailure e = assertThrows(RowFailure.class, () -> UTC.convert(c, v));
    assertTrue(
        e.getMessage().contains(text) && e.getMessage().contains("column c"), e.getMessage());
  }
}
