package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ByteArray;
import com.google.cloud.Date;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.config.ConfigException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;
import org.junit.jupiter.api.Test;

/** Change-record mods become Spanner mutations typed by the record's row type. */
class SpannerWorkloadWriterTest {
  private static final SpannerWorkloadWriter.Where WHERE =
      new SpannerWorkloadWriter.Where("changes.jsonl", "line 3");
  private static final List<ColumnType> ROW_TYPE =
      List.of(
          column("id", "INT64", true, 1),
          column("sku", "STRING", true, 2),
          column("price", "NUMERIC", false, 3),
          column("weight", "FLOAT64", false, 4),
          column("active", "BOOL", false, 5),
          column("photo", "BYTES", false, 6),
          column("released", "DATE", false, 7),
          column("updated", "TIMESTAMP", false, 8),
          column("doc", "JSON", false, 9),
          new ColumnType(
              "tags",
              new TypeCode("{\"code\":\"ARRAY\",\"array_element_type\":{\"code\":\"STRING\"}}"),
              false,
              10),
          column("note", "STRING", false, 11));

  @Test
  void insertsAndUpdatesBecomeInsertOrUpdateWithEveryValueTyped() {
    Mod mod =
        new Mod(
            "{\"id\":\"42\",\"sku\":\"k1\"}",
            "{}",
            "{\"price\":\"12.50\",\"weight\":2.25,\"active\":true,\"photo\":\"AQI=\",\"released\":\"2024-02-29\","
                + "\"updated\":\"2024-02-29T10:11:12.345678Z\",\"doc\":\"{\\\"n\\\":5}\",\"tags\":[\"a\",null],\"note\":null}");
    Mutation m = SpannerWorkloadWriter.mutation(record(ModType.UPDATE, mod), mod, WHERE, false);

    assertEquals(Mutation.Op.INSERT_OR_UPDATE, m.getOperation());
    assertEquals("shop", m.getTable());
    Map<String, Value> v = m.asMap();
    assertEquals(Value.int64(42), v.get("id"));
    assertEquals(Value.string("k1"), v.get("sku"));
    assertEquals(Value.numeric(new BigDecimal("12.50")), v.get("price"));
    assertEquals(Value.float64(2.25), v.get("weight"));
    assertEquals(Value.bool(true), v.get("active"));
    assertEquals(Value.bytes(ByteArray.copyFrom(new byte[] {1, 2})), v.get("photo"));
    assertEquals(Value.date(Date.fromYearMonthDay(2024, 2, 29)), v.get("released"));
    assertEquals(
        Value.timestamp(Timestamp.parseTimestamp("2024-02-29T10:11:12.345678Z")), v.get("updated"));
    assertEquals("{\"n\":5}", v.get("doc").getJson());
    assertEquals(java.util.Arrays.asList("a", null), v.get("tags").getStringArray());
    assertTrue(v.get("note").isNull());
  }

  @Test
  void wholeSecondTimestampsDropTheFraction() {
    Mod mod =
        new Mod(
            "{\"id\":\"1\",\"sku\":\"k\"}", "{}", "{\"updated\":\"2024-02-29T10:11:12.345678Z\"}");
    Mutation m = SpannerWorkloadWriter.mutation(record(ModType.INSERT, mod), mod, WHERE, true);
    assertEquals(
        Value.timestamp(Timestamp.parseTimestamp("2024-02-29T10:11:12Z")),
        m.asMap().get("updated"));
  }

  @Test
  void deletesBecomeDeletesByTheKeyInKeyOrder() {
    Mod mod = new Mod("{\"sku\":\"k1\",\"id\":\"42\"}", "{}", "{}");
    Mutation m = SpannerWorkloadWriter.mutation(record(ModType.DELETE, mod), mod, WHERE, false);
    assertEquals(Mutation.Op.DELETE, m.getOperation());
    assertEquals(Key.of(42L, "k1"), m.getKeySet().getKeys().iterator().next());
  }

  @Test
  void aBadValueNamesFileLineAndColumn() {
    Mod mod = new Mod("{\"id\":\"x\",\"sku\":\"k\"}", "{}", "{}");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SpannerWorkloadWriter.mutation(record(ModType.INSERT, mod), mod, WHERE, false));
    assertTrue(e.getMessage().contains("changes.jsonl"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("shop.id"), e.getMessage());
  }

  private static ColumnType column(String name, String code, boolean key, long ordinal) {
    return new ColumnType(name, new TypeCode("{\"code\":\"" + code + "\"}"), key, ordinal);
  }

  private static DataChangeRecord record(ModType kind, Mod mod) {
    return new DataChangeRecord(
        "p",
        Timestamp.ofTimeMicroseconds(1_000_000),
        "tx",
        true,
        "00000000",
        "shop",
        ROW_TYPE,
        List.of(mod),
        kind,
        ValueCaptureType.NEW_ROW,
        1,
        1,
        "",
        false,
        null);
  }
}
