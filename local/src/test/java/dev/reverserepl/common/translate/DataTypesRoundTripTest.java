package dev.reverserepl.common.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Spanner type a MySQL column maps to, as the change stream delivers it, through session
 * mapping, translator, converter and dialect into MariaDB, read back and compared (rule R1 in
 * common/README.md). Each case runs against the repository's {@code round-trip-types} fixture (one
 * table per MySQL type and Spanner type pair) and, when the external corpus is present, against its
 * {@code SpannerToMySqlDataTypesIT} tables as well.
 */
class DataTypesRoundTripTest {
  private static final String DB = "datatypes_round_trip";
  private static final String EXTERNAL_DB = "datatypes_round_trip_external";
  private static final String EXTERNAL_FIXTURE = "SpannerToMySqlDataTypesIT";
  private static final String TRICKY =
      "it's \"quoted\" \\ back\\slash \u0000 nul, tab\t, newline\n, caf\u00e9";
  private static EmbeddedMySql server;
  private static MySqlDialect dialect;

  enum Read {
    INTEGER,
    YEAR,
    DECIMAL,
    DOUBLE,
    FLOAT,
    TEXT,
    HEX,
    JSON
  }

  /**
   * One value: {@code table} of the external corpus, {@code repoTable} of the repository's fixture.
   */
  record Case(String table, String repoTable, String json, Read read, String expected) {}

  private static final List<Case> CASES = new ArrayList<>();

  private static void add(String table, String repoTable, String json, Read read, String expected) {
    CASES.add(new Case(table, repoTable, json, read, expected));
  }

  private static String b64(byte[] bytes) {
    return "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  private static byte[] allBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 3);
    }
    b[0] = 0;
    b[1] = '\'';
    b[2] = '\\';
    return b;
  }

  private static byte[] padded(byte[] b, int len) {
    return java.util.Arrays.copyOf(b, len);
  }

  static {
    byte[] small = {0, (byte) 0xff, '\'', '\\', '"', (byte) 0x80, 0x1a, 0};
    String trickyJson = Json.write(TRICKY);
    String trickyUtf8Hex = hex(TRICKY.getBytes(StandardCharsets.UTF_8));
    add(
        "bigint_table",
        "bigint_as_int64",
        "\"-9223372036854775808\"",
        Read.INTEGER,
        "-9223372036854775808");
    add(
        "bigint_to_string_table",
        "bigint_as_string",
        "\"9223372036854775807\"",
        Read.INTEGER,
        "9223372036854775807");
    add(
        "bigint_unsigned_table",
        "ubigint_as_numeric",
        "\"18446744073709551615\"",
        Read.INTEGER,
        "18446744073709551615");
    add("binary_table", "binary_as_bytes", b64(small), Read.HEX, hex(padded(small, 255)));
    add(
        "binary_to_string_table",
        "binary_as_string",
        trickyJson,
        Read.HEX,
        hex(padded(TRICKY.getBytes(StandardCharsets.UTF_8), 255)));
    add(
        "bit_table",
        "bit64_as_bytes",
        b64(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}),
        Read.HEX,
        "8000000000000001");
    add("bit_to_bool_table", "bit1_as_bool", "true", Read.HEX, "01");
    add("bit_to_int64_table", "bit64_as_int64", "\"-2\"", Read.HEX, "FFFFFFFFFFFFFFFE");
    add("bit_to_string_table", "bit16_as_string", "\"65535\"", Read.HEX, "FFFF");
    add("blob_table", "blob_as_bytes", b64(allBytes(65_535)), Read.HEX, hex(allBytes(65_535)));
    add("blob_to_string_table", "blob_as_string", trickyJson, Read.HEX, trickyUtf8Hex);
    add("bool_table", "flag_as_bool", "true", Read.INTEGER, "1");
    add("bool_to_string_table", "flag_as_string", "\"0\"", Read.INTEGER, "0");
    add("boolean_table", "flag_as_bool", "false", Read.INTEGER, "0");
    add("boolean_to_bool_table", "flag_as_bool", "true", Read.INTEGER, "1");
    add("boolean_to_string_table", "flag_as_string", "\"1\"", Read.INTEGER, "1");
    add(
        "char_table",
        "char_as_string",
        Json.write("x'\"\\y" + "\u00e9".repeat(250)),
        Read.TEXT,
        "x'\"\\y" + "\u00e9".repeat(250));
    add("date_table", "date_as_date", "\"0001-01-01\"", Read.TEXT, "0001-01-01");
    add("date_to_string_table", "date_as_string", "\"9999-12-31\"", Read.TEXT, "9999-12-31");
    add(
        "datetime_table",
        "datetime_as_timestamp",
        "\"2024-02-29T23:59:59Z\"",
        Read.TEXT,
        "2024-02-29 23:59:59");
    add(
        "datetime_to_string_table",
        "datetime_as_string",
        "\"1000-01-01 00:00:00\"",
        Read.TEXT,
        "1000-01-01 00:00:00");
    String maxDecimal = "99999999999999999999999999999999999.999999999999999999999999999999";
    add("decimal_table", "decimal_as_numeric", "\"" + maxDecimal + "\"", Read.DECIMAL, maxDecimal);
    add(
        "decimal_to_string_table",
        "decimal_as_string",
        "\"-0.000000000000000000000000000001\"",
        Read.DECIMAL,
        "-0.000000000000000000000000000001");
    add("dec_to_numeric_table", "decimal_as_numeric", "\"123.456\"", Read.DECIMAL, "123.456");
    add(
        "dec_to_string_table",
        "decimal_as_string",
        "\"-99999999999999999999999999999999999\"",
        Read.DECIMAL,
        "-99999999999999999999999999999999999");
    add("numeric_to_numeric_table", "decimal_as_numeric", "\"0.1\"", Read.DECIMAL, "0.1");
    add("numeric_to_string_table", "decimal_as_string", "\"1E+3\"", Read.DECIMAL, "1000");
    add(
        "double_table",
        "double_as_float64",
        "1.7976931348623157E308",
        Read.DOUBLE,
        "1.7976931348623157E308");
    add(
        "double_to_string_table",
        "double_as_string",
        "\"3.141592653589793\"",
        Read.DOUBLE,
        "3.141592653589793");
    add(
        "double_precision_to_float64_table",
        "double_as_float64",
        "-4.9E-324",
        Read.DOUBLE,
        "-4.9E-324");
    add("double_precision_to_string_table", "double_as_string", "\"0.1\"", Read.DOUBLE, "0.1");
    add("real_to_float64_table", "double_as_float64", "2.5E-10", Read.DOUBLE, "2.5E-10");
    add("real_to_string_table", "double_as_string", "\"-1234.5678\"", Read.DOUBLE, "-1234.5678");
    add("enum_table", "enum_as_string", "\"2\"", Read.TEXT, "2");
    // a FLOAT column holds the float nearest to the value, which is how the forward migration
    // produced it
    add("float_table", "float_as_float64", Double.toString((double) 1.1f), Read.FLOAT, "1.1");
    add("float_to_float32_table", "float_as_float32", "3.4028235E38", Read.FLOAT, "3.4028235E38");
    add("float_to_string_table", "float_as_string", "\"-2.5\"", Read.FLOAT, "-2.5");
    add("int_table", "int_as_int64", "\"-2147483648\"", Read.INTEGER, "-2147483648");
    add("int_to_string_table", "int_as_string", "\"2147483647\"", Read.INTEGER, "2147483647");
    add("integer_to_int64_table", "int_as_int64", "\"-1\"", Read.INTEGER, "-1");
    add("integer_to_string_table", "int_as_string", "\"0\"", Read.INTEGER, "0");
    add("integer_unsigned_table", "uint_as_int64", "\"4294967295\"", Read.INTEGER, "4294967295");
    String doc = "{\"k\": [1, 2.5, \"v'\\\"\\\\\", null, true], \"nested\": {\"e\": \"\u00e9\"}}";
    add("test_json_table", "json_as_json", Json.write(doc), Read.JSON, doc);
    add(
        "json_to_string_table",
        "json_as_string",
        Json.write("[1,\"two\",{\"3\":null}]"),
        Read.JSON,
        "[1,\"two\",{\"3\":null}]");
    add(
        "longblob_table",
        "longblob_as_bytes",
        b64(allBytes(300_000)),
        Read.HEX,
        hex(allBytes(300_000)));
    add("longblob_to_string_table", "longblob_as_string", trickyJson, Read.HEX, trickyUtf8Hex);
    add("longtext_table", "longtext_as_string", trickyJson, Read.TEXT, TRICKY);
    add("mediumblob_table", "mediumblob_as_bytes", b64(small), Read.HEX, hex(small));
    add("mediumblob_to_string_table", "mediumblob_as_string", "\"\"", Read.HEX, "");
    add("mediumint_table", "mediumint_as_int64", "\"-8388608\"", Read.INTEGER, "-8388608");
    add("mediumint_to_string_table", "mediumint_as_string", "\"8388607\"", Read.INTEGER, "8388607");
    add(
        "mediumint_unsigned_table",
        "umediumint_as_int64",
        "\"16777215\"",
        Read.INTEGER,
        "16777215");
    add("mediumtext_table", "mediumtext_as_string", trickyJson, Read.TEXT, TRICKY);
    add("set_table", "set_as_string", "\"v1,v3\"", Read.TEXT, "v1,v3");
    add("set_to_array_table", "set_as_array", "[\"v1\",\"v2\"]", Read.TEXT, "v1,v2");
    add("smallint_table", "smallint_as_int64", "\"-32768\"", Read.INTEGER, "-32768");
    add("smallint_to_string_table", "smallint_as_string", "\"32767\"", Read.INTEGER, "32767");
    add("smallint_unsigned_table", "usmallint_as_int64", "\"65535\"", Read.INTEGER, "65535");
    add("text_table", "text_as_string", trickyJson, Read.TEXT, TRICKY);
    add("time_table", "time_as_string", "\"-838:59:59\"", Read.TEXT, "-838:59:59");
    add(
        "timestamp_table",
        "timestamp_as_timestamp",
        "\"2038-01-19T03:14:07Z\"",
        Read.TEXT,
        "2038-01-19 03:14:07");
    add(
        "timestamp_to_string_table",
        "timestamp_as_string",
        "\"1970-01-01T00:00:01Z\"",
        Read.TEXT,
        "1970-01-01 00:00:01");
    add("tinyblob_table", "tinyblob_as_bytes", b64(allBytes(255)), Read.HEX, hex(allBytes(255)));
    add("tinyblob_to_string_table", "tinyblob_as_string", trickyJson, Read.HEX, trickyUtf8Hex);
    add("tinyint_table", "tinyint_as_int64", "\"-128\"", Read.INTEGER, "-128");
    add("tinyint_to_string_table", "tinyint_as_string", "\"127\"", Read.INTEGER, "127");
    add("tinyint_unsigned_table", "utinyint_as_int64", "\"255\"", Read.INTEGER, "255");
    add("tinytext_table", "tinytext_as_string", trickyJson, Read.TEXT, TRICKY);
    add(
        "varbinary_table",
        "varbinary_as_bytes",
        b64(allBytes(65_000)),
        Read.HEX,
        hex(allBytes(65_000)));
    add("varbinary_to_string_table", "varbinary_as_string", trickyJson, Read.HEX, trickyUtf8Hex);
    String longVarchar = "\u00e9'\\".repeat(7000);
    add("varchar_table", "varchar_as_string", Json.write(longVarchar), Read.TEXT, longVarchar);
    add("year_table", "year_as_string", "\"2155\"", Read.YEAR, "2155");
  }

  @BeforeAll
  static void setUp() throws Exception {
    server = EmbeddedMySql.shared();
    try (Connection c = server.connect(null)) {
      dialect = MySqlDialect.forServerVersion(c.getMetaData().getDatabaseProductVersion());
    }
  }

  static Change insert(String table, Map<String, Object> keys, String newValuesJson) {
    return new Change(
        table,
        ModKind.INSERT,
        Json.write(keys),
        newValuesJson,
        new ChangePosition(1_700_000_000_000_000_000L, "tx", 1, 0),
        "",
        1);
  }

  static void apply(Connection c, RowChange row) throws Exception {
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

  @Test
  void ruleR1_everySpannerTypeOfTheRepositoryFixtureRoundTrips() throws Exception {
    int checked = roundTrip(Fixtures.repo("round-trip-types"), DB, Case::repoTable);
    System.out.println(
        "rule R1: "
            + CASES.size()
            + " values over "
            + checked
            + " tables of the repository fixture");
  }

  @Test
  void ruleR1_everySpannerTypeOfTheExternalCorpusRoundTrips() throws Exception {
    Optional<Path> corpus = Fixtures.external().map(d -> d.resolve(EXTERNAL_FIXTURE));
    if (corpus.isEmpty() || !Files.isRegularFile(corpus.get().resolve("session.json"))) {
      System.out.println(
          "rule R1: no external corpus with "
              + EXTERNAL_FIXTURE
              + " (RR_FIXTURES or shared/fixtures); 0 external files checked, the repository fixture covers rule R1");
      return;
    }
    int checked = roundTrip(corpus.get(), EXTERNAL_DB, Case::table);
    System.out.println(
        "rule R1: external corpus "
            + corpus.get()
            + ": 2 files (session.json, mysql-schema.sql), "
            + checked
            + " tables checked");
  }

  /** Applies every case to the fixture in {@code dir}; returns how many tables it checked. */
  private static int roundTrip(Path dir, String db, Function<Case, String> tableOf)
      throws Exception {
    server.recreateDatabase(db);
    server.runSqlFile(db, dir.resolve("mysql-schema.sql"));
    SessionMapping session = SessionMapping.load(dir.resolve("session.json").toString());
    TreeSet<String> untested = new TreeSet<>();
    session.tables().forEach(t -> untested.add(t.spannerTable()));
    int tables = untested.size();
    ChangeTranslator translator = new ChangeTranslator(session, new MySqlValueConverter());
    Map<String, String> mismatches = new LinkedHashMap<>();
    try (Connection c = server.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SET time_zone = '+00:00'");
      for (Case k : CASES) {
        String name = tableOf.apply(k);
        untested.remove(name);
        String actual = roundTrip(c, s, translator, session.table(name).orElseThrow(), k);
        String expected =
            k.read() == Read.JSON ? Json.parse(k.expected()).toString() : k.expected();
        if (!expected.equals(actual)) {
          mismatches.put(
              name, "expected " + abbreviate(expected) + " but read " + abbreviate(actual));
        }
      }
    }
    assertEquals(Map.of(), mismatches);
    assertEquals(new TreeSet<>(), untested, "tables of the fixture without a round-trip case");
    return tables;
  }

  /** Writes one case's value as row 1 of {@code table} and reads it back. */
  private static String roundTrip(
      Connection c, Statement s, ChangeTranslator translator, TableMapping table, Case k)
      throws Exception {
    ColumnMapping key = table.replicatedColumns().get(0);
    ColumnMapping value = table.replicatedColumns().get(1);
    ObjectNode values = Json.object();
    values.set(value.spannerColumn(), Json.parse(k.json()));
    TranslationResult r =
        translator.translate(
            insert(table.spannerTable(), Map.of(key.spannerColumn(), "1"), values.toString()));
    assertInstanceOf(TranslationResult.Translated.class, r, table.spannerTable() + ": " + r);
    apply(c, ((TranslationResult.Translated) r).rowChange());
    // The text protocol prints FLOAT with 6 significant digits; widening to DOUBLE shows the stored
    // float.
    String select =
        k.read() == Read.FLOAT
            ? "CAST(" + dialect.quote(value.sourceColumn()) + " AS DOUBLE)"
            : dialect.quote(value.sourceColumn());
    try (ResultSet rs =
        s.executeQuery(
            "SELECT "
                + select
                + " FROM "
                + dialect.quote(table.sourceTable())
                + " WHERE "
                + dialect.quote(key.sourceColumn())
                + " = 1")) {
      assertTrue(rs.next(), table.spannerTable());
      return read(rs, k.read());
    }
  }

  private static String read(ResultSet rs, Read read) throws Exception {
    switch (read) {
      case INTEGER:
        return new BigDecimal(rs.getString(1)).toBigIntegerExact().toString();
      case YEAR:
        return Integer.toString(rs.getInt(1));
      case DECIMAL:
        return rs.getBigDecimal(1).stripTrailingZeros().toPlainString();
      case DOUBLE:
        return Double.toString(rs.getDouble(1));
      case FLOAT:
        return Float.toString((float) rs.getDouble(1));
      case TEXT:
        return rs.getString(1);
      case HEX:
        return hex(rs.getBytes(1));
      case JSON:
        return Json.parse(rs.getString(1)).toString();
      default:
        throw new IllegalArgumentException(read.name());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + ")" : s;
  }
}
