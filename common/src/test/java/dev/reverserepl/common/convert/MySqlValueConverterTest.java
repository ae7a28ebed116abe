package dev.reverserepl.common.convert;

import static dev.reverserepl.common.convert.Columns.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Conversion rules C1..C12 (common/README.md), without a server; the round trip is in
 * MySqlRoundTripTest.
 */
class MySqlValueConverterTest {
  private final MySqlValueConverter utc = new MySqlValueConverter();

  private static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private Object convert(String jsonValue, ColumnMapping column) throws ValueConversionException {
    return utc.toJdbc(json(jsonValue), column);
  }

  private ValueConversionException error(String jsonValue, ColumnMapping column) {
    return assertThrows(ValueConversionException.class, () -> convert(jsonValue, column));
  }

  private static void assertNames(
      ValueConversionException e, String column, String typePart, String valuePart) {
    assertEquals(column, e.column());
    assertTrue(e.type().contains(typePart), e.type());
    assertTrue(e.value().contains(valuePart), e.value());
    assertTrue(e.getMessage().contains("'" + column + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(typePart), e.getMessage());
  }

  @Test
  void ruleC1_nullIsSqlNullAndNotNullColumnsRefuseIt() throws Exception {
    assertNull(convert("null", col("c", "INT64", "int")));
    assertNull(utc.toJdbc(null, col("c", "STRING", "varchar", 5)));
    ValueConversionException e = error("null", Columns.notNull(col("nn", "STRING", "varchar", 5)));
    assertNames(e, "nn", "varchar(5)", "null");
  }

  @Test
  void ruleC2_integersAreExactAndRangeChecked() throws Exception {
    assertEquals(-128L, convert("\"-128\"", col("c", "INT64", "tinyint")));
    assertEquals(255L, convert("\"255\"", col("c", "INT64", "tinyint unsigned")));
    assertEquals(Long.MIN_VALUE, convert("\"-9223372036854775808\"", col("c", "INT64", "bigint")));
    assertEquals(
        new BigInteger("18446744073709551615"),
        convert("\"18446744073709551615\"", col("c", "NUMERIC", "bigint unsigned")));
    assertEquals(1L, convert("true", col("c", "BOOL", "tinyint", 1)));
    assertEquals(42L, convert("\"42\"", col("c", "STRING", "smallint")));
    assertNames(error("\"256\"", col("t8", "INT64", "tinyint")), "t8", "tinyint", "256");
    assertNames(error("\"-129\"", col("t8", "INT64", "tinyint")), "t8", "tinyint", "-129");
    assertNames(
        error("\"-9223372036854775809\"", col("i64", "STRING", "bigint")),
        "i64",
        "bigint",
        "-9223372036854775809");
    assertNames(
        error("\"9223372036854775808\"", col("i64", "NUMERIC", "bigint")),
        "i64",
        "bigint",
        "9223372036854775808");
    assertNames(
        error("\"-1\"", col("u8", "INT64", "tinyint unsigned")), "u8", "tinyint unsigned", "-1");
    assertNames(
        error("\"16777216\"", col("m", "INT64", "mediumint")), "m", "mediumint", "16777216");
    assertNames(
        error("\"-8388609\"", col("m", "INT64", "mediumint")), "m", "mediumint", "-8388609");
    assertNames(
        error("\"-1\"", col("u16", "INT64", "smallint unsigned")),
        "u16",
        "smallint unsigned",
        "-1");
    assertNames(
        error("\"65536\"", col("u16", "INT64", "smallint unsigned")),
        "u16",
        "smallint unsigned",
        "65536");
    assertNames(
        error("\"4294967296\"", col("u32", "INT64", "int unsigned")),
        "u32",
        "int unsigned",
        "4294967296");
    assertNames(
        error("\"18446744073709551616\"", col("u64", "NUMERIC", "bigint unsigned")),
        "u64",
        "bigint",
        "18446744073709551616");
    assertNames(error("\"1.5\"", col("frac", "NUMERIC", "bigint")), "frac", "bigint", "1.5");
    assertNames(error("\"12abc\"", col("txt", "STRING", "int")), "txt", "STRING -> int", "12abc");
  }

  @Test
  void ruleC2_smallIntegersWithoutTheUnsignedFlagAcceptBothRanges() throws Exception {
    // the session file writes INT UNSIGNED as plain int: both ranges are possible, the server
    // decides
    assertEquals(4294967295L, convert("\"4294967295\"", col("c", "INT64", "int", 11)));
    assertEquals(-2147483648L, convert("\"-2147483648\"", col("c", "INT64", "int", 11)));
    assertEquals(255L, convert("\"255\"", col("c", "INT64", "tinyint", 4)));
    assertNames(
        error("\"4294967296\"", col("i32", "INT64", "int", 11)), "i32", "int(11)", "4294967296");
  }

  @Test
  void ruleC3_numericIsExactAndDecimalPrecisionIsChecked() throws Exception {
    String big = "123456789012345678901234567890123456.12345678901234567890123456789";
    assertEquals(
        new BigDecimal("12345678901234567890123456789012345.12345678901234567890123456789"),
        convert(
            "\"12345678901234567890123456789012345.12345678901234567890123456789\"",
            col("d", "NUMERIC", "decimal", 65, 30)));
    assertEquals(new BigDecimal("1.5"), convert("\"1.50\"", col("d", "NUMERIC", "decimal", 5, 2)));
    assertEquals(new BigDecimal("100"), convert("\"1E+2\"", col("d", "NUMERIC", "decimal", 5, 2)));
    assertNames(
        error("\"" + big + "\"", col("dd", "NUMERIC", "decimal", 65, 30)),
        "dd",
        "decimal(65,30)",
        "123");
    assertNames(
        error("\"1000.00\"", col("d52", "NUMERIC", "decimal", 5, 2)),
        "d52",
        "decimal(5,2)",
        "1000.00");
    assertNames(
        error("\"1.005\"", col("d52", "NUMERIC", "decimal", 5, 2)), "d52", "decimal(5,2)", "1.005");
    assertNames(
        error("\"NaN\"", col("dn", "FLOAT64", "decimal", 10, 2)),
        "dn",
        "FLOAT64 -> decimal",
        "NaN");
    assertNames(error("\"NaN\"", col("dn", "NUMERIC", "decimal", 10, 2)), "dn", "decimal", "NaN");
  }

  @Test
  void ruleC4_bytesAreBinarySafe() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    String b64 = java.util.Base64.getEncoder().encodeToString(all);
    assertArrayEquals(all, (byte[]) convert("\"" + b64 + "\"", col("b", "BYTES", "longblob")));
    assertArrayEquals(
        all, (byte[]) convert("\"" + b64 + "\"", col("b", "BYTES", "varbinary", 256)));
    assertNames(
        error("\"" + b64 + "\"", col("vb", "BYTES", "varbinary", 255)),
        "vb",
        "varbinary(255)",
        b64.substring(0, 20));
    assertNames(
        error("\"not base64!\"", col("bad", "BYTES", "blob")),
        "bad",
        "BYTES -> blob",
        "not base64!");
    assertNames(error("\"QUJD=\"", col("pad", "BYTES", "blob")), "pad", "blob", "QUJD=");
    assertArrayEquals(
        new byte[] {'h', (byte) 0xc3, (byte) 0xa9},
        (byte[]) convert("\"h\u00e9\"", col("s", "STRING", "blob")));
  }

  @Test
  void ruleC5_stringsAreUnchangedAndLengthsAreChecked() throws Exception {
    String tricky = "it's \"q\" \\ back\\slash \u0000 nul \uD83D\uDE00 emoji";
    assertEquals(tricky, convert(Json.write(tricky), col("s", "STRING", "varchar", 40)));
    String emoji10 = "\uD83D\uDE00".repeat(10);
    assertEquals(emoji10, convert(Json.write(emoji10), col("s", "STRING", "varchar", 10)));
    ValueConversionException e =
        error(Json.write(emoji10 + "x"), col("v10", "STRING", "varchar", 10));
    assertNames(e, "v10", "varchar(10)", "\uD83D\uDE00");
    assertTrue(e.problem().contains("11 characters"), e.problem());
    // tinytext holds 255 bytes: 64 four-byte characters are 256 bytes
    ValueConversionException bytes =
        error(Json.write("\uD83D\uDE00".repeat(64)), col("tt", "STRING", "tinytext"));
    assertTrue(bytes.problem().contains("256 bytes"), bytes.problem());
  }

  @Test
  void ruleC6_timestampsUseTheSourceOffsetAndKeepMicroseconds() throws Exception {
    ColumnMapping dt = col("dt", "TIMESTAMP", "datetime");
    assertEquals("2024-03-01 10:00:00.123456", convert("\"2024-03-01T10:00:00.123456Z\"", dt));
    assertEquals("2024-03-01 10:00:00", convert("\"2024-03-01T10:00:00Z\"", dt));
    assertEquals("2024-03-01 10:00:00.100000", convert("\"2024-03-01T10:00:00.1Z\"", dt));
    assertEquals("2024-03-01 10:00:00.123456", convert("\"2024-03-01T10:00:00.123456000Z\"", dt));
    MySqlValueConverter india = MySqlValueConverter.forOffset("+05:30");
    assertEquals("+05:30", india.sessionTimeZone());
    assertEquals(
        "2024-03-01 15:30:00.000001", india.toJdbc(json("\"2024-03-01T10:00:00.000001Z\""), dt));
    assertEquals(
        "2024-02-29 23:30:00",
        new MySqlValueConverter(ZoneOffset.ofHours(-10))
            .toJdbc(json("\"2024-03-01T09:30:00Z\""), dt));
    assertEquals("-08:00", MySqlValueConverter.forOffset("-08:00").sessionTimeZone());
    assertEquals("+00:00", utc.sessionTimeZone());
    ValueConversionException nanos =
        error("\"2024-03-01T10:00:00.123456789Z\"", col("n", "TIMESTAMP", "datetime"));
    assertNames(nanos, "n", "TIMESTAMP -> datetime", "123456789");
    assertNames(
        error("\"2024-03-01T10:00:00.5Z\"", col("f0", "TIMESTAMP", "datetime", 0)),
        "f0",
        "datetime",
        ".5Z");
    assertNames(
        error("\"2038-01-19T03:14:08Z\"", col("ts", "TIMESTAMP", "timestamp")),
        "ts",
        "timestamp",
        "2038");
    assertNames(
        error("\"2024-02-30T10:00:00Z\"", col("bad", "TIMESTAMP", "datetime")),
        "bad",
        "datetime",
        "2024-02-30");
    assertNames(
        error("\"yesterday\"", col("bad", "TIMESTAMP", "timestamp")),
        "bad",
        "timestamp",
        "yesterday");
  }

  @Test
  void ruleC7_nanAndInfinityAreRefusedByNumericColumns() throws Exception {
    assertEquals(1.5, convert("1.5", col("f", "FLOAT64", "double")));
    assertEquals(
        Double.MAX_VALUE, convert("1.7976931348623157E308", col("f", "FLOAT64", "double")));
    for (String v : new String[] {"\"NaN\"", "\"Infinity\"", "\"-Infinity\""}) {
      assertNames(
          error(v, col("dbl", "FLOAT64", "double")),
          "dbl",
          "FLOAT64 -> double",
          v.replace("\"", ""));
      assertNames(
          error(v, col("flt", "FLOAT32", "float")), "flt", "FLOAT32 -> float", v.replace("\"", ""));
    }
    assertNames(error("1e39", col("flt", "FLOAT64", "float")), "flt", "float", "1.0E39");
    // a text column can hold the word
    assertEquals("NaN", convert("\"NaN\"", col("s", "FLOAT64", "varchar", 10)));
  }

  @Test
  void ruleC8_errorsNameColumnTypeAndATruncatedValue() {
    String huge = "x".repeat(100_000);
    ValueConversionException e = error(Json.write(huge), col("big", "STRING", "varchar", 10));
    assertTrue(e.getMessage().length() < 500, "message length " + e.getMessage().length());
    assertTrue(e.value().contains("100002 chars"), e.value());
    ColumnMapping renamed =
        new ColumnMapping(
            "SpCol",
            new dev.reverserepl.common.session.SpannerType("INT64", false, 0),
            "src_col",
            new dev.reverserepl.common.session.SourceType("tinyint", java.util.List.of(), false),
            true);
    ValueConversionException r =
        assertThrows(ValueConversionException.class, () -> utc.toJdbc(json("\"1000\""), renamed));
    assertTrue(
        r.getMessage().startsWith("column 'SpCol' -> 'src_col' (INT64 -> tinyint)"),
        r.getMessage());
  }

  @Test
  void ruleC9_jsonIsValidatedAndUnchanged() throws Exception {
    String doc = "{\"a\": [1, 2.50, \"x'\\\"y\"], \"b\": null}";
    assertEquals(doc, convert(Json.write(doc), col("j", "JSON", "json")));
    assertNames(
        error(Json.write("{\"a\":"), col("j", "JSON", "json")), "j", "JSON -> json", "{\"a\":");
    assertNames(error(Json.write("{} {}"), col("j", "STRING", "json")), "j", "json", "{} {}");
    assertEquals("[\"a\",\"b\"]", convert("[\"a\",\"b\"]", col("j", "ARRAY<STRING>", "json")));
  }

  @Test
  void ruleC10_stringArraysBecomeSets() throws Exception {
    assertEquals("v1,v3", convert("[\"v1\",\"v3\"]", col("s", "ARRAY<STRING>", "set")));
    assertEquals("", convert("[]", col("s", "ARRAY<STRING>", "set")));
    assertNames(
        error("[\"a,b\"]", col("st", "ARRAY<STRING>", "set")), "st", "ARRAY<STRING> -> set", "a,b");
    assertNames(error("[null]", col("st", "ARRAY<STRING>", "set")), "st", "set", "[null]");
    assertNames(
        error("[\"x\"]", col("arr", "ARRAY<STRING>", "varchar", 10)), "arr", "varchar", "[\"x\"]");
  }

  @Test
  void ruleC11_bitYearTimeAndDateAreChecked() throws Exception {
    assertArrayEquals(new byte[] {1}, (byte[]) convert("true", col("b", "BOOL", "bit", 1)));
    assertArrayEquals(
        new byte[] {
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff
        },
        (byte[]) convert("\"-1\"", col("b", "INT64", "bit", 64)));
    assertArrayEquals(
        new byte[] {0x01, 0x02}, (byte[]) convert("\"AQI=\"", col("b", "BYTES", "bit", 16)));
    assertArrayEquals(
        new byte[] {0x00, 0x05}, (byte[]) convert("\"b'101'\"", col("b", "STRING", "bit", 16)));
    assertArrayEquals(
        new byte[] {0x01, 0x00}, (byte[]) convert("\"256\"", col("b", "STRING", "bit", 16)));
    assertNames(error("\"65536\"", col("b16", "STRING", "bit", 16)), "b16", "bit(16)", "65536");
    assertNames(
        error("\"AQID\"", col("b16", "BYTES", "bit", 16)), "b16", "BYTES -> bit(16)", "AQID");
    assertEquals(2024, convert("\"2024\"", col("y", "STRING", "year")));
    assertEquals(0, convert("\"0\"", col("y", "INT64", "year")));
    assertNames(error("\"70\"", col("yr", "STRING", "year")), "yr", "year", "70");
    assertNames(error("\"2156\"", col("yr", "INT64", "year")), "yr", "year", "2156");
    assertEquals("-838:59:59", convert("\"-838:59:59\"", col("t", "STRING", "time")));
    assertEquals("12:34:56.789", convert("\"12:34:56.789\"", col("t", "STRING", "time")));
    assertNames(error("\"839:00:00\"", col("tm", "STRING", "time")), "tm", "time", "839:00:00");
    assertNames(error("\"12:61:00\"", col("tm", "STRING", "time")), "tm", "time", "12:61:00");
    assertEquals("2024-02-29", convert("\"2024-02-29\"", col("d", "DATE", "date")));
    assertNames(
        error("\"2023-02-29\"", col("dt", "DATE", "date")), "dt", "DATE -> date", "2023-02-29");
    assertNames(error("\"2023/01/01\"", col("dt", "STRING", "date")), "dt", "date", "2023/01/01");
  }

  @Test
  void ruleC12_unsupportedTypesAndCombinationsAreErrors() {
    assertNames(error("\"AQI=\"", col("x", "BYTES", "int")), "x", "BYTES -> int", "AQI=");
    assertNames(error("\"POINT(1 2)\"", col("g", "STRING", "geometry")), "g", "geometry", "POINT");
    assertNames(error("{\"a\":1}", col("o", "STRING", "varchar", 10)), "o", "varchar", "{\"a\":1}");
    assertTrue(MySqlValueConverter.supports("mediumint"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            utc.toJdbc(
                json("1"),
                new ColumnMapping(
                    "nr",
                    new dev.reverserepl.common.session.SpannerType("INT64", false, 0),
                    null,
                    null,
                    true)));
  }
}
