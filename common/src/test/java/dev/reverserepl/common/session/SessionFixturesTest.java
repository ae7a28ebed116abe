package dev.reverserepl.common.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 11 of "Session file": every session file under the fixtures loads, and agrees with its
 * mysql-schema.sql where one exists.
 */
class SessionFixturesTest {
  /** Type names MySQL accepts as synonyms, mapped to the name MySQL reports. */
  private static final Map<String, String> SYNONYMS =
      Map.of(
          "integer", "int", "bool", "tinyint", "boolean", "tinyint", "dec", "decimal", "numeric",
          "decimal", "fixed", "decimal", "real", "double");

  static Stream<Path> sessionFiles() {
    return Fixtures.repoSessionFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessionFiles")
  void rule11_fixtureSessionMapsOntoItsMySqlSchema(Path sessionFile) {
    SessionMapping session = SessionMapping.load(sessionFile.toString());
    assertFalse(session.tables().isEmpty(), "no replicated tables in " + sessionFile);
    for (TableMapping t : session.tables()) {
      assertFalse(t.replicatedColumns().isEmpty(), t.spannerTable());
      assertFalse(t.spannerPrimaryKey().isEmpty(), t.spannerTable());
      for (String pk : t.spannerPrimaryKey()) {
        assertTrue(t.column(pk).isPresent(), t.spannerTable() + " PK column " + pk);
      }
      if (t.shardIdColumn() != null) {
        assertTrue(t.column(t.shardIdColumn()).isPresent(), t.spannerTable() + " shard column");
      }
    }
    Path schema = sessionFile.resolveSibling("mysql-schema.sql");
    if (!Files.exists(schema)) {
      System.out.println(
          "no mysql-schema.sql next to " + sessionFile + "; checked the session on its own");
      return;
    }
    Map<String, MySqlSchemaFile.Table> tables = MySqlSchemaFile.read(schema);
    int checkedColumns = 0;
    int lostUnsigned = 0;
    for (TableMapping t : session.tables()) {
      MySqlSchemaFile.Table mysql = tables.get(t.sourceTable().toLowerCase(Locale.ROOT));
      assertNotNull(mysql, sessionFile + ": source table " + t.sourceTable() + " not in " + schema);
      for (ColumnMapping c : t.replicatedColumns()) {
        MySqlSchemaFile.Column col = mysql.column(c.sourceColumn());
        assertNotNull(col, t.sourceTable() + "." + c.sourceColumn() + " not in " + schema);
        assertEquals(
            base(col.type()),
            base(c.sourceType().name()),
            t.sourceTable() + "." + c.sourceColumn() + " type");
        // The migration tool keeps UNSIGNED only in "bigint unsigned"; smaller unsigned ints arrive
        // as signed
        // names. So the session may understate unsignedness but must never claim it falsely (rule
        // 6).
        if (c.sourceType().unsigned()) {
          assertTrue(
              col.unsigned(),
              t.sourceTable() + "." + c.sourceColumn() + " unsigned in session, not in schema");
        } else if (col.unsigned()) {
          lostUnsigned++;
        }
        checkedColumns++;
      }
      if (mysql.primaryKey().isEmpty()) {
        // rule 5: a source table without a primary key is keyed by the mapped Spanner key columns
        assertTrue(
            t.sourcePrimaryKey().stream()
                .allMatch(k -> mysql.columns().containsKey(k.toLowerCase(Locale.ROOT))),
            t.sourceTable() + " key " + t.sourcePrimaryKey() + " not among its columns");
      } else {
        assertEquals(
            lower(mysql.primaryKey()),
            lower(t.sourcePrimaryKey()),
            t.sourceTable() + " primary key");
      }
    }
    assertTrue(checkedColumns > 0);
    System.out.println(
        sessionFile
            + ": "
            + checkedColumns
            + " columns agree with "
            + schema.getFileName()
            + (lostUnsigned > 0
                ? "; " + lostUnsigned + " UNSIGNED columns are signed in the session"
                : ""));
  }

  private static String base(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return SYNONYMS.getOrDefault(t, t);
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
  }

  @org.junit.jupiter.api.Test
  void rule11_everyRepositoryFixtureSessionIsChecked() {
    Set<String> names =
        Fixtures.repoSessionFiles().stream()
            .map(p -> Fixtures.repoDir().relativize(p).toString())
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "bands-sharded/session.json",
            "clock/session.json",
            "guestbook/session.json",
            "keywords/session.json",
            "label-sharded/session.json",
            "ledger/session.json",
            "parcels-sharded/session.json",
            "round-trip-types/session.json",
            "shop-sharded/session.json",
            "type-families/session.json"),
        names);
  }

  /**
   * The external conformance corpus, when present, must satisfy rule 11 as the repository's
   * fixtures do.
   */
  @org.junit.jupiter.api.Test
  void rule11_externalCorpusSessionsMapOntoTheirSchemas() {
    Optional<Path> dir = Fixtures.external();
    if (dir.isEmpty()) {
      System.out.println(
          "external fixtures: none (RR_FIXTURES unset and no shared/fixtures above "
              + Path.of("").toAbsolutePath()
              + "); only the repository's fixtures were checked");
      Assumptions.abort("no external fixture corpus");
    }
    List<Path> files = Fixtures.sessionFiles(dir.get());
    assertFalse(files.isEmpty(), "no session files in the external corpus " + dir.get());
    for (Path f : files) {
      rule11_fixtureSessionMapsOntoItsMySqlSchema(f);
    }
    System.out.println(
        "external fixtures: checked "
            + files.size()
            + " session files (and the MySQL schemas beside "
            + "them) in "
            + dir.get());
  }
}
