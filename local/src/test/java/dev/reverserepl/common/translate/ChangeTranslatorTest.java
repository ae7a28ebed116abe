package dev.reverserepl.common.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules T1..T6 of ChangeTranslator (common/README.md). */
class ChangeTranslatorTest {
  /**
   * Spanner Orders(OrderId, Note, Amount, ShardId) -> source orders(order_id, note varchar(5),
   * amount decimal(10,2)); ShardId has no source column; Audit exists only in Spanner.
   */
  static final String SESSION =
      """
      {
        "SpSchema": {
          "t1": {"Name": "Orders", "ColIds": ["c1", "c2", "c3", "c4"], "ShardIdColumn": "c4",
                 "ColDefs": {
                   "c1": {"Name": "OrderId", "T": {"Name": "INT64"}},
                   "c2": {"Name": "Note", "T": {"Name": "STRING", "Len": 5}},
                   "c3": {"Name": "Amount", "T": {"Name": "NUMERIC"}},
                   "c4": {"Name": "ShardId", "T": {"Name": "STRING", "Len": 20}}},
                 "PrimaryKeys": [{"ColId": "c1", "Order": 1}]},
          "t2": {"Name": "Audit", "ColIds": ["c9"],
                 "ColDefs": {"c9": {"Name": "Id", "T": {"Name": "INT64"}}},
                 "PrimaryKeys": [{"ColId": "c9", "Order": 1}]}
        },
        "SrcSchema": {
          "t1": {"Name": "orders", "ColIds": ["c1", "c2", "c3"],
                 "ColDefs": {
                   "c1": {"Name": "order_id", "Type": {"Name": "int", "Mods": [11]}, "NotNull": true},
                   "c2": {"Name": "note", "Type": {"Name": "varchar", "Mods": [5]}},
                   "c3": {"Name": "amount", "Type": {"Name": "decimal", "Mods": [10, 2]}}},
                 "PrimaryKeys": [{"ColId": "c1", "Order": 1}]}
        },
        "SyntheticPKeys": {}
      }
      """;

  private final SessionMapping session = SessionMapping.parse(SESSION, "test-session.json");
  private final ChangeTranslator translator =
      new ChangeTranslator(session, new MySqlValueConverter());

  static Change change(String table, ModKind kind, String keys, String values) {
    return new Change(table, kind, keys, values, new ChangePosition(1L, "tx", 1, 0), "", 1);
  }

  private RowChange translated(Change c) {
    TranslationResult r = translator.translate(c);
    return assertInstanceOf(TranslationResult.Translated.class, r, String.valueOf(r)).rowChange();
  }

  private String failed(Change c) {
    TranslationResult r = translator.translate(c);
    return assertInstanceOf(TranslationResult.Failed.class, r, String.valueOf(r)).reason();
  }

  @Test
  void ruleT1_tablesWithoutSourceTableAreSkippedWithAReason() {
    TranslationResult audit =
        translator.translate(change("Audit", ModKind.INSERT, "{\"Id\":\"1\"}", "{}"));
    assertEquals(new TranslationResult.Skipped("table Audit has no source table"), audit);
    TranslationResult unknown =
        translator.translate(change("Nope", ModKind.DELETE, "{\"Id\":\"1\"}", "{}"));
    assertEquals(new TranslationResult.Skipped("table Nope is not in the session file"), unknown);
  }

  @Test
  void ruleT2_keyValuesComeFromKeysJson() {
    RowChange row =
        translated(
            change(
                "Orders",
                ModKind.INSERT,
                "{\"OrderId\":\"7\"}",
                "{\"OrderId\":\"8\",\"Note\":\"hi\",\"Amount\":\"1.50\",\"ShardId\":\"s1\"}"));
    assertEquals("orders", row.sourceTable());
    assertEquals(List.of("order_id"), row.keyColumns());
    assertEquals(List.of(7L), row.keyValues());
    assertEquals(7L, row.value("order_id"));
  }

  @Test
  void ruleT3_columnsWithoutSourceColumnAreNotWritten() {
    RowChange row =
        translated(
            change(
                "Orders",
                ModKind.UPDATE,
                "{\"OrderId\":\"7\"}",
                "{\"Note\":\"hi\",\"Amount\":\"1.5\",\"ShardId\":\"s1\",\"AddedLater\":\"x\"}"));
    assertEquals(List.of("order_id", "note", "amount"), row.columns());
    assertEquals(List.of(7L, "hi", new BigDecimal("1.5")), row.values());
  }

  @Test
  void ruleT4_columnsFollowTheSessionOrderWhateverTheJsonOrder() {
    RowChange a =
        translated(
            change(
                "Orders",
                ModKind.INSERT,
                "{\"OrderId\":\"1\"}",
                "{\"Amount\":\"2\",\"Note\":null,\"ShardId\":\"s\"}"));
    RowChange b =
        translated(
            change(
                "Orders",
                ModKind.INSERT,
                "{\"OrderId\":\"2\"}",
                "{\"ShardId\":\"s\",\"Note\":\"n\",\"Amount\":\"3\"}"));
    assertEquals(a.columns(), b.columns());
    assertEquals(List.of("order_id", "note", "amount"), a.columns());
    assertNull(a.value("note"));
    // Spanner names are case-insensitive
    RowChange c =
        translated(change("orders", ModKind.INSERT, "{\"orderid\":\"3\"}", "{\"NOTE\":\"x\"}"));
    assertEquals(List.of("order_id", "note"), c.columns());
  }

  @Test
  void ruleT5_deletesCarryOnlyTheSourcePrimaryKey() {
    RowChange row = translated(change("Orders", ModKind.DELETE, "{\"OrderId\":\"9\"}", "{}"));
    assertEquals(ModKind.DELETE, row.kind());
    assertEquals(List.of(), row.columns());
    assertEquals(List.of(), row.values());
    assertEquals(List.of("order_id"), row.keyColumns());
    assertEquals(List.of(9L), row.keyValues());
  }

  @Test
  void ruleT6_failuresNameTableAndColumn() {
    String tooLong =
        failed(change("Orders", ModKind.INSERT, "{\"OrderId\":\"1\"}", "{\"Note\":\"toolong\"}"));
    assertTrue(
        tooLong.startsWith(
            "table Orders -> orders: column 'Note' -> 'note' (STRING(5) -> varchar(5))"),
        tooLong);
    String nan =
        failed(change("Orders", ModKind.INSERT, "{\"OrderId\":\"1\"}", "{\"Amount\":\"NaN\"}"));
    assertTrue(nan.contains("column 'Amount' -> 'amount' (NUMERIC -> decimal(10,2))"), nan);
    String scale =
        failed(change("Orders", ModKind.INSERT, "{\"OrderId\":\"1\"}", "{\"Amount\":\"1.005\"}"));
    assertTrue(scale.contains("'amount'") && scale.contains("1.005"), scale);
    String badKey = failed(change("Orders", ModKind.DELETE, "{\"OrderId\":\"x1\"}", "{}"));
    assertTrue(
        badKey.contains("column 'OrderId' -> 'order_id'") && badKey.contains("not an integer"),
        badKey);
    String nullKey = failed(change("Orders", ModKind.DELETE, "{\"OrderId\":null}", "{}"));
    assertTrue(nullKey.contains("'order_id'") && nullKey.contains("NOT NULL"), nullKey);
    String missing = failed(change("Orders", ModKind.DELETE, "{}", "{}"));
    assertTrue(missing.contains("'OrderId'") && missing.contains("missing from keysJson"), missing);
    String missingInsert = failed(change("Orders", ModKind.INSERT, "{}", "{\"Note\":\"a\"}"));
    assertTrue(
        missingInsert.contains("'order_id'") && missingInsert.contains("missing"), missingInsert);
    String badJson = failed(change("Orders", ModKind.INSERT, "{\"OrderId\":", "{}"));
    assertTrue(badJson.contains("keysJson is not valid JSON"), badJson);
    String notObject = failed(change("Orders", ModKind.INSERT, "{\"OrderId\":\"1\"}", "[1]"));
    assertTrue(notObject.contains("newValuesJson is not a JSON object"), notObject);
  }

  @Test
  void ruleT6_translatedChangesApplyToMySqlAndInjectionStaysData() throws Exception {
    EmbeddedMySql server = EmbeddedMySql.shared();
    server.recreateDatabase("translator_apply");
    try (Connection c = server.connect("translator_apply")) {
      c.createStatement()
          .execute(
              "CREATE TABLE orders (order_id INT PRIMARY KEY, note VARCHAR(5), amount DECIMAL(10,2))");
      MySqlDialect dialect =
          MySqlDialect.forServerVersion(c.getMetaData().getDatabaseProductVersion());
      apply(
          c,
          dialect,
          translated(
              change(
                  "Orders",
                  ModKind.INSERT,
                  "{\"OrderId\":\"1\"}",
                  "{\"Note\":\"a';--\",\"Amount\":\"12345678.99\",\"ShardId\":\"s\"}")));
      apply(
          c,
          dialect,
          translated(
              change(
                  "Orders",
                  ModKind.INSERT,
                  "{\"OrderId\":\"2\"}",
                  "{\"Note\":\"x\",\"Amount\":\"-0.01\"}")));
      apply(
          c,
          dialect,
          translated(
              change(
                  "Orders",
                  ModKind.UPDATE,
                  "{\"OrderId\":\"2\"}",
                  "{\"Note\":\"\\\\`\\\"\",\"Amount\":null}")));
      apply(c, dialect, translated(change("Orders", ModKind.DELETE, "{\"OrderId\":\"1\"}", "{}")));
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT order_id, note, amount FROM orders")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
        assertEquals("\\`\"", rs.getString(2));
        assertNull(rs.getBigDecimal(3));
        assertTrue(!rs.next());
      }
    }
  }

  private static void apply(Connection c, MySqlDialect dialect, RowChange row) throws Exception {
    SqlStatement st =
        row.kind().isDelete()
            ? dialect.delete(row.sourceTable(), row.keyColumns(), List.of(row.keyValues()))
            : dialect.upsert(
                row.sourceTable(), row.columns(), row.keyColumns(), List.of(row.values()));
    try (PreparedStatement p = c.prepareStatement(st.sql())) {
      st.bind(p);
      p.executeUpdate();
    }
  }
}
