package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.translate.RowChange;
import dev.reverserepl.common.translate.TranslationResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical limit to compare with: the same row operations written with plain JDBC multi-row
 * {@code INSERT … ON DUPLICATE KEY UPDATE} and {@code DELETE}, grouped by table and kind inside
 * each batch with no regard for order, one transaction per batch, no bookkeeping. Translation
 * happens before the clock starts.
 */
final class RawBaseline {
  private RawBaseline() {}

  static ApplyBench.Result run(EmbeddedMySql mysql, String db, BenchWorkload w, int batchSize)
      throws Exception {
    ChangeTranslator translator =
        new ChangeTranslator(w.session, new MySqlValueConverter(ZoneOffset.UTC));
    List<RowChange> rows = new ArrayList<>(w.changes.size());
    for (Change c : w.changes) {
      TranslationResult r = translator.translate(c);
      if (r instanceof TranslationResult.Translated t) {
        rows.add(t.rowChange());
      }
    }
    try (Connection conn = mysql.connect(db)) {
      MySqlDialect dialect =
          MySqlDialect.forServerVersion(conn.getMetaData().getDatabaseProductVersion());
      conn.setAutoCommit(false);
      try (var st = conn.createStatement()) {
        st.execute("SET foreign_key_checks = 0");
      }
      long start = System.nanoTime();
      for (int i = 0; i < rows.size(); i += batchSize) {
        Map<String, List<RowChange>> groups = new LinkedHashMap<>();
        for (RowChange r : rows.subList(i, Math.min(rows.size(), i + batchSize))) {
          groups
              .computeIfAbsent(
                  r.sourceTable() + "|" + (r.kind() == ModKind.DELETE), k -> new ArrayList<>())
              .add(r);
        }
        for (List<RowChange> g : groups.values()) {
          for (int j = 0; j < g.size(); j += 500) {
            execute(conn, statement(dialect, g.subList(j, Math.min(g.size(), j + 500))));
          }
        }
        conn.commit();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new ApplyBench.Result(rows.size(), rows.size(), seconds);
    }
  }

  private static SqlStatement statement(MySqlDialect dialect, List<RowChange> group) {
    RowChange first = group.get(0);
    if (first.kind() == ModKind.DELETE) {
      List<List<Object>> keys = new ArrayList<>();
      group.forEach(r -> keys.add(r.keyValues()));
      return dialect.delete(first.sourceTable(), first.keyColumns(), keys);
    }
    List<List<Object>> values = new ArrayList<>();
    group.forEach(r -> values.add(r.values()));
    return dialect.upsert(first.sourceTable(), first.columns(), first.keyColumns(), values);
  }

  private static void execute(Connection conn, SqlStatement s) throws Exception {
    try (PreparedStatement ps = conn.prepareStatement(s.sql())) {
      s.bind(ps);
      ps.executeUpdate();
    }
  }
}
