package dev.reverserepl.common.convert;

import static dev.reverserepl.common.convert.Columns.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversion rules that need a real server: time-zone offsets, microseconds, 4-byte UTF-8. */
class MySqlConversionOnServerTest {
  private static final String DB = "conversion_on_server";
  private static EmbeddedMySql server;
  private static MySqlDialect dialect;

  @BeforeAll
  static void setUp() throws Exception {
    server = EmbeddedMySql.shared();
    server.recreateDatabase(DB);
    try (Connection c = server.connect(DB);
        Statement s = c.createStatement()) {
      dialect = MySqlDialect.forServerVersion(c.getMetaData().getDatabaseProductVersion());
      s.execute("CREATE TABLE times (id INT PRIMARY KEY, dt DATETIME(6), ts TIMESTAMP(6) NULL)");
      s.execute(
          "CREATE TABLE texts (id INT PRIMARY KEY, mb4 VARCHAR(20) CHARACTER SET utf8mb4, "
              + "mb3 VARCHAR(20) CHARACTER SET utf8mb3, t TEXT CHARACTER SET utf8mb4)");
    }
  }

  private static void upsert(Connection c, String table, List<String> cols, Object... values)
      throws SQLException {
    SqlStatement st = dialect.upsert(table, cols, List.of("id"), List.of(Arrays.asList(values)));
    try (PreparedStatement p = c.prepareStatement(st.sql())) {
      st.bind(p);
      p.executeUpdate();
    }
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void ruleC6_sourceOffsetShiftsWallClockAndKeepsTheInstant() throws Exception {
    String instant = "\"2024-03-01T20:00:00.123456Z\"";
    ColumnMapping dt = col("dt", "TIMESTAMP", "datetime");
    ColumnMapping ts = col("ts", "TIMESTAMP", "timestamp");
    String[][] cases = {
      {"+05:30", "2024-03-02 01:30:00.123456"},
      {"-08:00", "2024-03-01 12:00:00.123456"},
      {"+00:00", "2024-03-01 20:00:00.123456"},
      {"+12:45", "2024-03-02 08:45:00.123456"},
    };
    int id = 0;
    for (String[] k : cases) {
      MySqlValueConverter converter = MySqlValueConverter.forOffset(k[0]);
      id++;
      try (Connection c = server.connect(DB);
          Statement s = c.createStatement()) {
        // a writer uses the source offset as the session time zone, as the source application did
        s.execute("SET time_zone = '" + converter.sessionTimeZone() + "'");
        upsert(
            c,
            "times",
            List.of("id", "dt", "ts"),
            id,
            converter.toJdbc(Json.parse(instant), dt),
            converter.toJdbc(Json.parse(instant), ts));
        assertEquals(
            k[1],
            one(c, "SELECT DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s.%f') FROM times WHERE id = " + id),
            k[0]);
        s.execute("SET time_zone = '+00:00'");
        // the timestamp column holds the original instant, to the microsecond
        assertEquals(
            "2024-03-01 20:00:00.123456",
            one(c, "SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') FROM times WHERE id = " + id),
            k[0]);
      }
    }
  }

  @Test
  void ruleC6_microsecondsSurviveTheRoundTrip() throws Exception {
    MySqlValueConverter utc = new MySqlValueConverter();
    try (Connection c = server.connect(DB)) {
      c.createStatement().execute("SET time_zone = '+00:00'");
      upsert(
          c,
          "times",
          List.of("id", "dt", "ts"),
          100,
          utc.toJdbc(
              Json.parse("\"1999-12-31T23:59:59.999999Z\""), col("dt", "TIMESTAMP", "datetime")),
          utc.toJdbc(
              Json.parse("\"2000-01-01T00:00:00.000001Z\""), col("ts", "TIMESTAMP", "timestamp")));
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT dt, ts FROM times WHERE id = 100")) {
        assertTrue(rs.next());
        assertEquals(
            LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
            rs.getObject(1, LocalDateTime.class));
        assertEquals(
            LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1_000), rs.getObject(2, LocalDateTime.class));
      }
    }
  }

  @Test
  void ruleC5_fourByteUtf8SurvivesAndUtf8mb3RefusesItLoudly() throws Exception {
    MySqlValueConverter utc = new MySqlValueConverter();
    String text = "\uD83D\uDE00 \uD834\uDD1E \u0000'\\\"";
    Object mb4 = utc.toJdbc(Json.parse(Json.write(text)), col("mb4", "STRING", "varchar", 20));
    Object t = utc.toJdbc(Json.parse(Json.write(text.repeat(1000))), col("t", "STRING", "text"));
    try (Connection c = server.connect(DB)) {
      upsert(c, "texts", List.of("id", "mb4", "t"), 1, mb4, t);
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT mb4, t FROM texts WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals(text, rs.getString(1));
        assertEquals(text.repeat(1000), rs.getString(2));
      }
      // a utf8mb3 column cannot hold the emoji: strict mode makes that an error, never a '?'
      SQLException e =
          assertThrows(SQLException.class, () -> upsert(c, "texts", List.of("id", "mb3"), 2, mb4));
      assertTrue(e.getMessage().contains("Incorrect string value"), e.getMessage());
    }
  }
}
