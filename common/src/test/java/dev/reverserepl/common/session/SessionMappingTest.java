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
    return SessionMapping.load(Fixtures.repo(relative).toString());
  }

  /**
   * A small session: Spanner t1 "Users" (c1 id, c2 name, c3 migration_shard_id), source t1 "users".
   */
  private static String session(String spExtra, String srcExtra, String topExtra) {
    return "{"
        + topExtra
        + "\"SpSchema\":{\"t1\":{\"Name\":\"Users\",\"ColIds\":[\"c1\",\"c2\",\"c3\"],"
        + "\"ShardIdColumn\":\"c3\",\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"id\",\"T\":{\"Name\":\"INT64\",\"Len\":0,\"IsArray\":false}},"
        + "\"c2\":{\"Name\":\"name\",\"T\":{\"Name\":\"STRING\",\"Len\":40,\"IsArray\":false}},"
        + "\"c3\":{\"Name\":\"migration_shard_id\",\"T\":{\"Name\":\"STRING\",\"Len\":50,\"IsArray\":false}}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c3\",\"Order\":1},{\"ColId\":\"c1\",\"Order\":2}]"
        + spExtra
        + "}},"
        + "\"SrcSchema\":{\"t1\":{\"Name\":\"users\",\"ColIds\":[\"c1\",\"c2\"],\"ColDefs\":{"
        + "\"c1\":{\"Name\":\"user_id\",\"Type\":{\"Name\":\"int unsigned\",\"Mods\":[10]},\"NotNull\":true},"
        + "\"c2\":{\"Name\":\"user_name\",\"Type\":{\"Name\":\"varchar\",\"Mods\":[40]},\"NotNull\":false}},"
        + "\"PrimaryKeys\":[{\"ColId\":\"c1\",\"Order\":1}]"
        + srcExtra
        + "}},"
        + "\"SyntheticPKeys\":{}}";
  }

  @Test
  void rule1_tablesJoinByTableIdAndColumnsByColumnId() {
    SessionMapping s = fixture("shop-sharded/session.json");
    TableMapping basket = s.table("sp_basket").orElseThrow();
    assertEquals("basket", basket.sourceTable());
    // Source ColIds are ordered c13,c11,c12; the join is by id, not position.
    assertEquals("item_id", basket.column("sp_item_id").orElseThrow().sourceColumn());
    assertEquals("owner_id", basket.column("sp_owner_id").orElseThrow().sourceColumn());
    assertEquals("item_count", basket.column("sp_count").orElseThrow().sourceColumn());
    assertEquals(
        new SourceType("bigint", List.of(), false),
        basket.column("sp_count").orElseThrow().sourceType());
    assertTrue(basket.column("sp_count").orElseThrow().sourceNullable());
    assertFalse(basket.column("sp_owner_id").orElseThrow().sourceNullable());
    assertEquals(List.of("migration_shard_id"), basket.unmappedSpannerColumns());
  }

  @Test
  void rule2_spannerColumnWithoutSourceColumnIsNotReplicated() {
    TableMapping invoices = fixture("ledger/session.json").table("Invoices").orElseThrow();
    assertEquals(List.of("InvoiceChannel"), invoices.unmappedSpannerColumns());
    ColumnMapping c = invoices.column("InvoiceChannel").orElseThrow();
    assertFalse(c.replicated());
    assertEquals(null, c.sourceType());
    assertFalse(invoices.replicatedColumns().contains(c));
    assertEquals(3, invoices.replicatedColumns().size());
  }

  @Test
  void rule2_syntheticPrimaryKeyColumnIsNotReplicated() {
    // The source table has no PK; the tool added synth_id to Spanner and recorded it in
    // SyntheticPKeys. Even if
    // the id clashes with a source column id, the synthetic column is not replicated.
    String json =
        "{\"SpSchema\":{\"t1\":{\"Name\":\"log\",\"ColIds\":[\"c1\",\"c9\"],\"ColDefs\":{"
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
    String json =
        session("", "", "")
            .replace(
                "\"SpSchema\":{",
                "\"SpSchema\":{\"t2\":{\"Name\":\"Audit\","
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
    TableMapping t = fixture("bands-sharded/session.json").table("Bands").orElseThrow();
    assertEquals(List.of("migration_shard_id", "BandId"), t.spannerPrimaryKey());
    assertEquals(List.of("BandId"), t.sourcePrimaryKey());
    TableMapping invoices = fixture("ledger/session.json").table("Invoices").orElseThrow();
    assertEquals(List.of("AccountId", "LegacySystem", "InvoiceId"), invoices.sourcePrimaryKey());
    assertEquals(List.of("LegacySystem"), invoices.unmappedSourceKeyColumns());
  }

  @Test
  void rule5_sourceTableWithoutPrimaryKeyUsesTheMappedSpannerKey() {
    TableMapping visitors = fixture("shop-sharded/session.json").table("sp_visitor").orElseThrow();
    assertEquals(List.of("migration_shard_id", "sp_handle"), visitors.spannerPrimaryKey());
    assertEquals(List.of("handle"), visitors.sourcePrimaryKey());
  }

  @Test
  void rule6_sourceTypesHaveLowerCaseBaseNameModsAndUnsigned() {
    TableMapping families =
        fixture("type-families/session.json").table("type_families").orElseThrow();
    assertEquals(
        new SourceType("bigint", List.of(20L), true),
        families.column("ubig_c").orElseThrow().sourceType());
    assertEquals(
        new SourceType("text", List.of(), false),
        families.column("text_c").orElseThrow().sourceType());
    assertEquals(
        new SourceType("decimal", List.of(20L, 6L), false),
        families.column("dec_c").orElseThrow().sourceType());
    assertEquals(
        new SourceType("int", List.of(10L), true),
        SessionMapping.parse(session("", "", ""), "s")
            .table("Users")
            .orElseThrow()
            .column("id")
            .orElseThrow()
            .sourceType());
    assertEquals(
        new SourceType("decimal", List.of(10L, 2L), false),
        SourceType.parse("DECIMAL(10,2)", null));
    assertEquals(
        new SourceType("int", List.of(), true),
        SourceType.parse("INT UNSIGNED ZEROFILL", List.of()));
  }

  @Test
  void rule6_sourceTypeMayBeWrittenAsSpannerStyleT() {
    TableMapping t = fixture("keywords/session.json").table("select").orElseThrow();
    assertEquals(
        new SourceType("bigint", List.of(), false), t.column("ORDER").orElseThrow().sourceType());
    assertEquals(
        new SourceType("varchar", List.of(255L), false),
        t.column("GROUP").orElseThrow().sourceType());
    assertEquals(List.of("ORDER"), t.sourcePrimaryKey());
  }

  @Test
  void rule7_spannerTypeLengthIsZeroForMax() {
    TableMapping bands = fixture("bands-sharded/session.json").table("Bands").orElseThrow();
    assertEquals(
        new SpannerType("STRING", false, 0), bands.column("BandName").orElseThrow().spannerType());
    assertEquals(
        new SpannerType("STRING", false, 30), bands.column("Genre").orElseThrow().spannerType());
    assertEquals(
        new SpannerType("STRING", false, 50),
        bands.column("migration_shard_id").orElseThrow().spannerType());
    TableMapping reserved = fixture("keywords/session.json").table("select").orElseThrow();
    assertEquals(
        new SpannerType("STRING", false, 0), reserved.column("HAVING").orElseThrow().spannerType());
    TableMapping families =
        fixture("type-families/session.json").table("type_families").orElseThrow();
    assertEquals(
        new SpannerType("STRING", true, 0), families.column("set_c").orElseThrow().spannerType());
  }

  @Test
  void rule8_shardIdColumnIsASpannerColumnNameAndMakesTheSessionSharded() {
    SessionMapping s = fixture("label-sharded/session.json");
    assertTrue(s.isSharded());
    assertEquals(2, s.tables().size());
    for (TableMapping t : s.tables()) {
      assertEquals("migration_shard_id", t.shardIdColumn(), t.spannerTable());
    }
    SessionMapping unsharded = fixture("ledger/session.json");
    assertFalse(unsharded.isSharded());
    unsharded.tables().forEach(t -> assertEquals(null, t.shardIdColumn()));
    // The IsSharded flag alone is enough; a shard column alone is enough.
    assertTrue(
        SessionMapping.parse(
                session("", "", "\"IsSharded\":true,")
                    .replace("\"ShardIdColumn\":\"c3\"", "\"ShardIdColumn\":\"\""),
                "s")
            .isSharded());
    assertTrue(SessionMapping.parse(session("", "", ""), "s").isSharded());
  }

  @Test
  void rule9_lookupsAreExactThenCaseInsensitive() {
    SessionMapping s = SessionMapping.parse(session("", "", ""), "s");
    assertTrue(s.table("USERS").isPresent());
    assertTrue(s.table("users").orElseThrow().column("NAME").isPresent());
    assertEquals(
        "name",
        s.table("Users").orElseThrow().sourceColumn("USER_NAME").orElseThrow().spannerColumn());
    assertTrue(s.table("nope").isEmpty());
    assertTrue(s.table(null).isEmpty());
  }

  @Test
  void rule10_missingSpSchemaNamesTheField() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SessionMapping.parse("{\"SrcSchema\":{}}", "bad-session.json"));
    assertEquals("bad-session.json", e.source());
    assertEquals("SpSchema", e.field());
    assertTrue(e.getMessage().startsWith("bad-session.json"), e.getMessage());
  }

  @Test
  void rule10_missingSrcSchemaNamesTheField() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> SessionMapping.parse("{\"SpSchema\":{}}", "s.json"));
    assertEquals("SrcSchema", e.field());
  }

  @Test
  void rule10_badJsonNamesLineAndColumn() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> SessionMapping.parse("{\n\"SpSchema\": {,\n}", "s.json"));
    assertEquals("s.json", e.source());
    assertTrue(e.location().startsWith("line 2"), e.location());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
  }

  @Test
  void rule10_columnIdWithoutColDefNamesTableAndColumn() {
    String json =
        session("", "", "")
            .replace(
                "\"ColIds\":[\"c1\",\"c2\",\"c3\"]", "\"ColIds\":[\"c1\",\"c2\",\"c3\",\"c4\"]");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("ColDefs.c4", e.field());
    assertTrue(
        e.location().contains("SpSchema.t1") && e.location().contains("'Users'"), e.location());
  }

  @Test
  void rule10_primaryKeyOfUnknownColumnIsAnError() {
    String json =
        session("", "", "")
            .replace("{\"ColId\":\"c1\",\"Order\":1}]", "{\"ColId\":\"c8\",\"Order\":1}]");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("PrimaryKeys", e.field());
    assertTrue(e.location().contains("SrcSchema.t1"), e.location());
    assertTrue(e.getMessage().contains("c8"), e.getMessage());
  }

  @Test
  void rule10_unknownShardIdColumnIsAnError() {
    String json =
        session("", "", "").replace("\"ShardIdColumn\":\"c3\"", "\"ShardIdColumn\":\"c99\"");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SessionMapping.parse(json, "s.json"));
    assertEquals("ShardIdColumn", e.field());
  }

  @Test
  void rule10_missingSpannerTypeAndTableNameAreErrors() {
    String noType =
        session("", "", "")
            .replace("\"T\":{\"Name\":\"INT64\",\"Len\":0,\"IsArray\":false}", "\"X\":1");
    assertEquals(
        "T", assertThrows(ConfigException.class, () -> SessionMapping.parse(noType, "s")).field());
    String noName = session("", "", "").replace("\"Name\":\"Users\",", "");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SessionMapping.parse(noName, "s"));
    assertEquals("Name", e.field());
    assertEquals("SpSchema.t1", e.location());
    assertEquals(
        "", assertThrows(ConfigException.class, () -> SessionMapping.parse("[]", "s")).field());
  }

  @Test
  void rule10_missingFileNamesTheFile() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> SessionMapping.load("/no/such/session.json"));
    assertEquals("/no/such/session.json", e.source());
  }

  @Test
  void rule12_uniqueSecondaryIndexIsReported() {
    SessionMapping plain = SessionMapping.parse(session("", "", ""), "s");
    assertFalse(plain.table("Users").orElseThrow().hasUniqueSecondaryIndex());
    String unique =
        session(
            "",
            ",\"Indexes\":[{\"Name\":\"u\",\"Unique\":true,\"Keys\":[{\"ColId\":\"c2\"}]}]",
            "");
    assertTrue(
        SessionMapping.parse(unique, "s").table("Users").orElseThrow().hasUniqueSecondaryIndex());
    String isUnique = session(",\"Indexes\":[{\"Name\":\"u\",\"IsUnique\":true}]", "", "");
    assertTrue(
        SessionMapping.parse(isUnique, "s").table("Users").orElseThrow().hasUniqueSecondaryIndex());
    SessionMapping shop = fixture("shop-sharded/session.json");
    assertFalse(shop.table("sp_basket").orElseThrow().hasUniqueSecondaryIndex());
    assertTrue(shop.table("sp_visitor").orElseThrow().hasUniqueSecondaryIndex());
  }

  @Test
  void rule13_sessionMappingIsSerializable() {
    SessionMapping s = fixture("type-families/session.json");
    SessionMapping copy = SerializableUtils.ensureSerializable(s);
    assertEquals(s.tables().size(), copy.tables().size());
    assertEquals(s.table("type_families"), copy.table("type_families"));
  }
}
