package dev.reverserepl.common.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySqlDialectTest {
  private static final String DB = "dialect_test";
  private static final String EVIL_TABLE = "t`x'y\"; DROP TABLE keep; --";
  private static final String EVIL_COLUMN = "c`) VALUES (1); DROP TABLE keep; -- '";
  private static EmbeddedMySql server;
  private static MySqlDialect dialect;

  @BeforeAll
  static void setUp() throws Exception {
    server = EmbeddedMySql.shared();
    server.recreateDatabase(DB);
    try (Connection c = server.connect(DB)) {
      dialect = MySqlDialect.forServerVersion(c.getMetaData().getDatabaseProductVersion());
    }
  }

  private static int execute(SqlStatement st) throws SQLException {
    try (Connection c = server.connect(DB);
        PreparedStatement p = c.prepareStatement(st.sql())) {
      st.bind(p);
      return p.executeUpdate();
    }
  }

  private static void ddl(String sql) throws SQLException {
    try (Connection c = server.connect(DB);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<List<Object>> query(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = server.connect(DB);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void rule1_valuesAreOnlyPlaceholders() {
    SqlStatement st =
        dialect.upsert(
            "t", List.of("id", "v"), List.of("id"), List.of(row(1, "x'); DROP TABLE t; --")));
    assertEquals(
        "INSERT INTO `t` (`id`,`v`) VALUES (?,?) ON DUPLICATE KEY UPDATE `v`=VALUES(`v`)",
        st.sql());
    assertEquals(row(1, "x'); DROP TABLE t; --"), st.parameters());
    assertFalse(st.toString().contains("DROP"), "toString must not show values");
  }

  @Test
  void rule2_backticksInIdentifiersAreDoubled() {
    assertEquals("`a``b`", dialect.quote("a`b"));
    assertEquals("`select`", dialect.quote("select"));
    assertEquals("```; DROP TABLE x; --`", dialect.quote("`; DROP TABLE x; --"));
  }

  @Test
  void rule2_injectionInIdentifiersAndValuesStaysData() throws Exception {
    ddl("CREATE TABLE keep (id INT PRIMARY KEY)");
    ddl("INSERT INTO keep VALUES (7)");
    ddl(
        "CREATE TABLE "
            + dialect.quote(EVIL_TABLE)
            + " (`id` VARCHAR(50) PRIMARY KEY, "
            + dialect.quote(EVIL_COLUMN)
            + " VARCHAR(100), `order` INT)");
    String evilValue = "'); DROP TABLE keep; -- \\' \" ` \0 end";
    List<String> cols = List.of("id", EVIL_COLUMN, "order");
    execute(dialect.upsert(EVIL_TABLE, cols, List.of("id"), List.of(row("k'1", evilValue, 1))));
    execute(
        dialect.upsert(EVIL_TABLE, cols, List.of("id"), List.of(row("k'1", evilValue + "2", 2))));
    List<List<Object>> rows =
        query(
            "SELECT `id`, "
                + dialect.quote(EVIL_COLUMN)
                + ", `order` FROM "
                + dialect.quote(EVIL_TABLE));
    assertEquals(List.of(row("k'1", evilValue + "2", 2)), rows);
    assertEquals(List.of(row(7)), query("SELECT id FROM keep"));
    assertEquals(1, execute(dialect.delete(EVIL_TABLE, List.of("id"), List.of(row("k'1")))));
    assertEquals(List.of(), query("SELECT `id` FROM " + dialect.quote(EVIL_TABLE)));
    assertEquals(List.of(row(7)), query("SELECT id FROM keep"));
  }

  @Test
  void rule4_multiRowUpsertWithRepeatedKeyEndsWithTheLaterRow() throws Exception {
    ddl("CREATE TABLE repeat_key (id INT PRIMARY KEY, v VARCHAR(10), n INT)");
    execute(
        dialect.upsert(
            "repeat_key",
            List.of("id", "v", "n"),
            List.of("id"),
            List.of(
                row(1, "first", 1),
                row(2, "other", 2),
                row(1, "second", null),
                row(1, "third", 3))));
    assertEquals(
        List.of(row(1, "third", 3), row(2, "other", 2)),
        query("SELECT id, v, n FROM repeat_key ORDER BY id"));
    // an existing row is overwritten, including back to NULL
    execute(
        dialect.upsert(
            "repeat_key", List.of("id", "v", "n"), List.of("id"), List.of(row(2, null, null))));
    List<List<Object>> rows = query("SELECT v, n FROM repeat_key WHERE id = 2");
    assertNull(rows.get(0).get(0));
    assertNull(rows.get(0).get(1));
  }

  @Test
  void rule5_allKeyColumnsUseANoOpUpdate() throws Exception {
    ddl("CREATE TABLE all_key (a INT, b VARCHAR(5), PRIMARY KEY (a, b))");
    SqlStatement st =
        dialect.upsert("all_key", List.of("a", "b"), List.of("a", "b"), List.of(row(1, "x")));
    assertEquals(
        "INSERT INTO `all_key` (`a`,`b`) VALUES (?,?) ON DUPLICATE KEY UPDATE `a`=`a`", st.sql());
    execute(st);
    execute(st);
    assertEquals(List.of(row(1, "x")), query("SELECT a, b FROM all_key"));
  }

  @Test
  void rule6_rowAliasOnlyForMySql8019AndLater() {
    assertFalse(MySqlDialect.supportsRowAlias("11.4.5-MariaDB"));
    assertFalse(MySqlDialect.supportsRowAlias("5.5.5-10.11.6-MariaDB-0+deb12u1"));
    assertFalse(MySqlDialect.supportsRowAlias("5.7.44"));
    assertFalse(MySqlDialect.supportsRowAlias("8.0.18"));
    assertFalse(MySqlDialect.supportsRowAlias("8.0.mysql_aurora.3.04.0"));
    assertFalse(MySqlDialect.supportsRowAlias(null));
    assertTrue(MySqlDialect.supportsRowAlias("8.0.19"));
    assertTrue(MySqlDialect.supportsRowAlias("8.0.36-cloudsql"));
    assertTrue(MySqlDialect.supportsRowAlias("8.4.3"));
    assertFalse(dialect.usesRowAlias(), "the embedded server is MariaDB");
    MySqlDialect mysql8 = MySqlDialect.forServerVersion("8.0.36");
    assertEquals(
        "INSERT INTO `t` (`id`,`v`) VALUES (?,?),(?,?) AS `rr_new` ON DUPLICATE KEY UPDATE "
            + "`v`=`rr_new`.`v`",
        mysql8
            .upsert("t", List.of("id", "v"), List.of("id"), List.of(row(1, "a"), row(2, "b")))
            .sql());
    assertTrue(
        mysql8
            .upsert("rr_new", List.of("id", "v"), List.of("id"), List.of(row(1, "a")))
            .sql()
            .contains("AS `rr_new_row`"));
  }

  @Test
  void rule7_deleteBySingleAndCompositeKey() throws Exception {
    ddl("CREATE TABLE del1 (id BIGINT PRIMARY KEY, v INT)");
    ddl("INSERT INTO del1 VALUES (1,1),(2,2),(3,3)");
    SqlStatement one = dialect.delete("del1", List.of("id"), List.of(row(1L), row(3L), row(99L)));
    assertEquals("DELETE FROM `del1` WHERE `id` IN (?,?,?)", one.sql());
    assertEquals(2, execute(one));
    assertEquals(List.of(row(2L)), query("SELECT id FROM del1"));

    ddl("CREATE TABLE del2 (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))");
    ddl("INSERT INTO del2 VALUES (1,'x',1),(1,'y',2),(2,'x',3)");
    SqlStatement two = dialect.delete("del2", List.of("a", "b"), List.of(row(1, "y"), row(2, "x")));
    assertEquals("DELETE FROM `del2` WHERE (`a`=? AND `b`=?) OR (`a`=? AND `b`=?)", two.sql());
    assertEquals(2, execute(two));
    assertEquals(List.of(row(1, "x")), query("SELECT a, b FROM del2"));
  }

  @Test
  void rule7_compositeDeleteUsesThePrimaryKey() throws Exception {
    ddl("CREATE TABLE del_plan (a INT, b INT, v INT, PRIMARY KEY (a, b))");
    try (Connection c = server.connect(DB);
        Statement s = c.createStatement()) {
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        values
            .append(i == 0 ? "" : ",")
            .append('(')
            .append(i % 50)
            .append(',')
            .append(i)
            .append(",0)");
      }
      s.execute("INSERT INTO del_plan VALUES " + values);
      s.execute("ANALYZE TABLE del_plan");
      SqlStatement st =
          dialect.delete("del_plan", List.of("a", "b"), List.of(row(1, 51), row(2, 52)));
      try (PreparedStatement p = c.prepareStatement("EXPLAIN " + st.sql())) {
        st.bind(p);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("range", rs.getString("type"));
          assertEquals("PRIMARY", rs.getString("key"));
        }
      }
    }
  }

  @Test
  void rule3_malformedRequestsFailBeforeSql() {
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.upsert("t", List.of("id"), List.of("id"), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.upsert("t", List.of("id", "v"), List.of("id"), List.of(row(1))));
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.upsert("t", List.of("id", "v"), List.of("k"), List.of(row(1, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.upsert("t", List.of("id", "ID"), List.of("id"), List.of(row(1, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.upsert("", List.of("id"), List.of("id"), List.of(row(1))));
    assertThrows(
        IllegalArgumentException.class,
        () -> dialect.delete("t", List.of("id"), List.of(row((Object) null))));
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                dialect.delete("t", List.of("id"), java.util.Collections.nCopies(70_000, row(1))));
    assertTrue(tooMany.getMessage().contains("split the batch"), tooMany.getMessage());
    assertEquals(32_767, dialect.maxRowsPerStatement(2));
  }

  @Test
  void bindKeepsBytesBinary() throws Exception {
    ddl("CREATE TABLE bin (id INT PRIMARY KEY, b VARBINARY(10))");
    byte[] bytes = {0, (byte) 0xff, '\'', '\\', (byte) 0x80, 0};
    execute(dialect.upsert("bin", List.of("id", "b"), List.of("id"), List.of(row(1, bytes))));
    try (Connection c = server.connect(DB);
        ResultSet rs = c.createStatement().executeQuery("SELECT b FROM bin")) {
      rs.next();
      assertArrayEquals(bytes, rs.getBytes(1));
    }
  }
}
