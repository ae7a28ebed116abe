package dev.reverserepl.common.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** Rules 1..13 of "Session file" in the module README, one test (or more) per rule. */
class SessionMappingTest {
  private static SessionMapping fixture(String relative) {
    return SessionMapping.load(Fixtures.file(relative).toString());
  }

  /** A small session: Spanner t1 "Users" (c1 id, c2 name, c3 migration_shard_id), source t1 "users". */
  private static String session(String spExtra, String srcExtra, String topExtra) {
    return "{" + topExtra + "\"SpSchema\":{\"t1\":{\"Name\":\"Users\",\"ColIds\":[\"c1\",\"c2\",\"c3\"],"
        + "\"ShardIdColumn\":\"c3\",\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"id\",\"T\":{\"Name\":\"INT64\",\"Len\":0,\"IsArray\":false}},"
        + "\"c2\":{\"Name\":\"name\",\"T\":{\"Name\":\"STRING\",\"Len\":40,\"IsArray\":false}},"
        + "\"c3\":{\"Name\":\"migration_shard_id\",\"T\":{\"Name\":\"STRING\",\"Len\":50,\"IsArray\":false}}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c3\",\"Order\":1},{\"ColId\":\"c1\",\"Order\":2}]" + spExtra + "}},"
        + "\"SrcSchema\":{\"t1\":{\"Name\":\"users\",\"ColIds\":[\"c1\",\"c2\"],\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"user_id\",\"Type\":{\"Name\":\"int unsigned\",\"Mods\":[10]},\"NotNull\":true},"
        + "\"c2\":{\"Name\":\"user_name\",\"Type\":{\"Name\":\"varchar\",\"Mods\":[40]},\"NotNull\":false}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c1\",\"Order\":1}]" + srcExtra + "}},"
        + "\"SyntheticPKeys\":{}}";
  }

  @Test
  void rule1_tablesJoinByTableIdAndColumnsByColumnId() {
    SessionMapping s = fixture("misc/session-file-sharded.json");
    TableMapping cart = s.table("new_cart").orElseThrow();
    assertEquals("cart", cart.sourceTable());
    // Source ColIds are ordered c3,c1,c2; the join is by id, not position.
    assertEquals("product_id", cart.column("new_product_id").orElseThrow().sourceColumn());
    assertEquals("user_id", cart.column("new_user_id").orElseThrow().sourceColumn());
    assertEquals("quantity", cart.column("new_quantity").orElseThrow().sourceColumn());
    assertEquals(new SourceType("bigint", List.of(), false), cart.column("new_quantity").orElseThrow().sourceType());
    assertTrue(cart.column("new_quantity").orElseThrow().sourceNullable());
    assertFalse(cart.column("new_user_id").orElseThrow().sourceNullable());
    assertEquals(List.of(), cart.unmappedSpannerColumns());
  }

  @Test
  void rule2_spannerColumnWithoutSourceColumnIsNotReplicated() {
    TableMapping orders = fixture("SpannerToSourceDBShardedMySQLRetryAllDLQIT/session.json").table("Orders")
        .orElseThrow();
    assertEquals(List.of("OrderSource"), orders.unmappedSpannerColumns());
    ColumnMapping c = orders.column("OrderSource").orElseThrow();
    assertFalse(c.replicated());
    assertEquals(null, c.sourceType());
    assertFalse(orders.replicatedColumns().contains(c));
    assertEquals(3, orders.replicatedColumns().size());
  }

  @Test
  void rule2_syntheticPrimaryKeyColumnIsNotReplicated() {
    // The source table has no PK; the tool added synth_id to Spanner and recorded it in SyntheticPKeys. Even if
    // the id clashes with a source column id, the synthetic column is not replicated.
    String json = "{\"SpSchema\":{\"t1\":{\"Name\":\"log\",\"ColIds\":[\"c1\",\"c9\"],\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"msg\",\"T\":{\"Name\":\"STRING\",\"Len\":100}},"
        + "\"c9\":{\"Name\":\"synth_id\",\"T\":{\"Name\":\"STRING\",\"Len\":50}}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c9\",\"Order\":1}]}},"
        + "\"SrcSchema\":{\"t1\":{\"Name\":\"log\",\"ColIds\":[\"c1\",\"c9\"],\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"msg\",\"Type\":{\"Name\":\"varchar\",\"Mods\":[100]}},"
        + "\"c9\":{\"Name\":\"ghost\",\"Type\":{\"Name\":\"varchar\",\"Mods\":[50]}}},\"PrimaryKeys\":null}},"
        + "\"SyntheticPKeys\":{\"t1\":{\"ColId\":\"c9\",\"Sequence\":0}}}";
    TableMapping t = SessionMapping.parse(json, "synthetic.json").table("log").orElseThrow();
    assertEquals(List.of("synth_id"), t.unmappedSpannerColumns());
    assertEquals(List.of("synth_id"), t.spannerPrimaryKey());
    // Rule 5: no source PK and no mapped Spanner key column, so there is no source key at all.
    assertEquals(List.of(), t.sourcePrimaryKey());
  }

  @Test
  void rule3_spannerTableWithoutSourceTableIsSkipped() {
    String json = session("", "", "").replace("\"SpSchema\":{", "\"SpSchema\":{\"t2\":{\"Name\":\"Audit\","
        + "\"ColIds\":[\"c7\"],\"ColDefs\":{\"c7\":{\"Name\":\"a\",\"T\":{\"Name\":\"INT64\"}}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c7\",\"Order\":1}]},");
    SessionMapping s = SessionMapping.parse(json, "s.json");
    assertTrue(s.table("Audit").isEmpty());
    assertEquals(List.of("Audit"), s.skippedTables());
    assertTrue(s.isSkippedTable("audit"));
    assertFalse(s.isSkippedTable("Users"));
    assertEquals(1, s.tables().size());
  }

  @Test
  void rule4_primaryKeysFollowTheirOrderField() {
    TableMapping t = fixture("ShardedSingers/session.json").table("Singers").orElseThrow();
    assertEquals(List.of("migration_shard_id", "SingerId"), t.spannerPrimaryKey());
    assertEquals(List.of("SingerId"), t.sourcePrimaryKey());
    TableMapping orders = fixture("SpannerToSourceDBShardedMySQLRetryAllDLQIT/session.json").table("Orders")
        .orElseThrow();
    assertEquals(List.of("CustomerId", "LegacyOrderSystem", "OrderId"), orders.sourcePrimaryKey());
    assertEquals(List.of("LegacyOrderSystem"), orders.unmappedSourceKeyColumns());
  }

  @Test
  void rule5_sourceTableWithoutPrimaryKeyUsesTheMappedSpannerKey() {
    TableMapping people = fixture("misc/session-file-sharded.json").table("new_people").orElseThrow();
    assertEquals(List.of("migration_shard_id", "new_name"), people.spannerPrimaryKey());
    assertEquals(List.of("name"), people.sourcePrimaryKey());
  }

  @Test
  void rule6_sourceTypesHaveLowerCaseBaseNameModsAndUnsigned() {
    SessionMapping s = fixture("SpannerToMySqlDataTypesIT/session.json");
    assertEquals(new SourceType("bigint", List.of(20L), true),
        s.table("bigint_unsigned_table").orElseThrow().column("bigint_unsigned_col").orElseThrow().sourceType());
    assertEquals(new SourceType("text", List.of(), false),
        s.table("text_table").orElseThrow().column("text_col").orElseThrow().sourceType());
    assertEquals("decimal",
        s.table("decimal_table").orElseThrow().column("decimal_col").orElseThrow().sourceType().name());
    assertEquals(new SourceType("int", List.of(10L), true),
        SessionMapping.parse(session("", "", ""), "s").table("Users").orElseThrow().column("id").orElseThrow()
            .sourceType());
    assertEquals(new SourceType("decimal", List.of(10L, 2L), false), SourceType.parse("DECIMAL(10,2)", null));
    assertEquals(new SourceType("int", List.of(), true), SourceType.parse("INT UNSIGNED ZEROFILL", List.of()));
  }

  @Test
  void rule6_sourceTypeMayBeWrittenAsSpannerStyleT() {
    TableMapping t = fixture("SpannerToSourceDbReservedKeywordsMySqlIT/session.json").table("true").orElseThrow();
    assertEquals(new SourceType("bigint", List.of(), false), t.column("COLUMN").orElseThrow().sourceType());
    assertEquals(new SourceType("varchar", List.of(255L), false), t.column("TABLE").orElseThrow().sourceType());
    assertEquals(List.of("COLUMN"), t.sourcePrimaryKey());
  }

  @Test
  void rule7_spannerTypeLengthIsZeroForMax() {
    TableMapping singers = fixture("ShardedSingers/session.json").table("Singers").orElseThrow();
    assertEquals(new SpannerType("STRING", false, 0), singers.column("FirstName").orElseThrow().spannerType());
    assertEquals(new SpannerType("STRING", false, 50), singers.column("migration_shard_id").orElseThrow().spannerType());
    TableMapping reserved = fixture("SpannerToSourceDbReservedKeywordsMySqlIT/session.json").table("true")
        .orElseThrow();
    assertEquals(new SpannerType("STRING", false, 0), reserved.column("WITH").orElseThrow().spannerType());
    SessionMapping types = fixture("SpannerToMySqlDataTypesIT/session.json");
    assertTrue(types.tables().stream().flatMap(t -> t.columns().stream()).anyMatch(c -> c.spannerType().array()));
  }

  @Test
  void rule8_shardIdColumnIsASpannerColumnNameAndMakesTheSessionSharded() {
    SessionMapping s = fixture("SpannerToSourceDbInterleaveMultiShardIT/session.json");
    assertTrue(s.isSharded());
    for (TableMapping t : s.tables()) {
      assertEquals("migration_shard_id", t.shardIdColumn(), t.spannerTable());
    }
    SessionMapping unsharded = fixture("SpannerToSourceDBShardedMySQLRetryAllDLQIT/session.json");
    assertFalse(unsharded.isSharded());
    unsharded.tables().forEach(t -> assertEquals(null, t.shardIdColumn()));
    // The IsSharded flag alone is enough; a shard column alone is enough.
    assertTrue(SessionMapping.parse(session("", "", "\"IsSharded\":true,").replace("\"ShardIdColumn\":\"c3\"",
        "\"ShardIdColumn\":\"\""), "s").isSharded());
    assertTrue(SessionMapping.parse(session("", "", ""), "s").isSharded());
  }

  @Test
  void rule9_lookupsAreExactThenCaseInsensitive() {
    SessionMapping s = SessionMapping.parse(session("", "", ""), "s");
    assertTrue(s.table("USERS").isPresent());
    assertTrue(s.table("users").orElseThrow().column("NAME").isPresent());
    assertEquals("name", s.table("Users").orElseThrow().sourceColumn("USER_NAME").orElseThrow().spannerColumn());
    assertTrue(s.table("nope").isEmpty());
    assertTrue(s.table(null).isEmpty());
  }

  @Test
  void rule10_missingSpSchemaNamesTheField() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SessionMapping.parse("{\"SrcSchema\":{}}", "bad-session.json"));
    assertEquals("bad-session.json", e.source());
    assertEquals("SpSchema", e.field());
    assertTrue(e.getMessage().startsWith("bad-session.json"), e.getMessage());
  }

  @Test
  void rule10_missingSrcSchemaNamesTheField() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SessionMapping.parse("{\"SpSchema\":{}}", "s.json"));
    assertEquals("SrcSchema", e.field());
  }

  @Test
  void rule10_badJsonNamesLineAndColumn() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SessionMapping.parse("{\n\"SpSchema\": {,\n}", "s.json"));
    assertEquals("s.json", e.source());
    assertTrue(e.location().startsWith("line 2"), e.location());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
  }

  @Test
  void rule10_columnIdWithoutColDefNamesTableAndColumn() {
    String json = session("", "", "").replace("\"ColIds\":[\"c1\",\"c2\",\"c3\"]", "\"ColIds\":[\"c1\",\"c2\",\"c3\",\"c4\"]");
    ConfigException e = assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("ColDefs.c4", e.field());
    assertTrue(e.location().contains("SpSchema.t1") && e.location().contains("'Users'"), e.location());
  }

  @Test
  void rule10_primaryKeyOfUnknownColumnIsAnError() {
    String json = session("", "", "").replace("{\"ColId\":\"c1\",\"Order\":1}]", "{\"ColId\":\"c8\",\"Order\":1}]");
    ConfigException e = assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("PrimaryKeys", e.field());
    assertTrue(e.location().contains("SrcSchema.t1"), e.location());
    assertTrue(e.getMessage().contains("c8"), e.getMessage());
  }

  @Test
  void rule10_unknownShardIdColumnIsAnError() {
    String json = session("", "", "").replace("\"ShardIdColumn\":\"c3\"", "\"ShardIdColumn\":\"c99\"");
    ConfigException e = assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("ShardIdColumn", e.field());
  }

  @Test
  void rule10_missingSpannerTypeAndTableNameAreErrors() {
    String noType = session("", "", "").replace("\"T\":{\"Name\":\"INT64\",\"Len\":0,\"IsArray\":false}",
        "\"X\":1");
    assertEquals("T", assertThrows(ConfigException.class, () -> SessionMapping.parse(noType, "s")).field());
    String noName = session("", "", "").replace("\"Name\":\"Users\",", "");
    ConfigException e = assertThrows(ConfigException.class, () -> SessionMapping.parse(noName, "s"));
    assertEquals("Name", e.field());
    assertEquals("SpSchema.t1", e.location());
    assertEquals("", assertThrows(ConfigException.class, () -> SessionMapping.parse("[]", "s")).field());
  }

  @Test
  void rule10_missingFileNamesTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> SessionMapping.load("/no/such/session.json"));
    assertEquals("/no/such/session.json", e.source());
  }

  @Test
  void rule12_uniqueSecondaryIndexIsReported() {
    SessionMapping plain = SessionMapping.parse(session("", "", ""), "s");
    assertFalse(plain.table("Users").orElseThrow().hasUniqueSecondaryIndex());
    String unique = session("", ",\"Indexes\":[{\"Name\":\"u\",\"Unique\":true,\"Keys\":[{\"ColId\":\"c2\"}]}]", "");
    assertTrue(SessionMapping.parse(unique, "s").table("Users").orElseThrow().hasUniqueSecondaryIndex());
    String isUnique = session(",\"Indexes\":[{\"Name\":\"u\",\"IsUnique\":true}]", "", "");
    assertTrue(SessionMapping.parse(isUnique, "s").table("Users").orElseThrow().hasUniqueSecondaryIndex());
    assertFalse(fixture("misc/session-file-sharded.json").table("new_cart").orElseThrow().hasUniqueSecondaryIndex());
  }

  @Test
  void rule13_sessionMappingIsSerializable() {
    SessionMapping s = fixture("SpannerToMySqlDataTypesIT/session.json");
    SessionMapping copy = SerializableUtils.ensureSerializable(s);
    assertEquals(s.tables().size(), copy.tables().size());
    assertEquals(s.table("enum_table"), copy.table("enum_table"));
  }
}
