package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.sql.MySqlDialect;
import dev.reverserepl.common.sql.SqlStatement;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.translate.RowChange;
import dev.reverserepl.common.translate.TranslationResult;
import dev.reverserepl.writer.apply.ShardPools;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The physical limit to compare with: the same row operations written with plain JDBC multi-row
 * {@code INSERT … ON DUPLICATE KEY UPDATE} and {@code DELETE}, grouped by table and kind inside
 * each batch with no regard for order, one transaction per batch, no bookkeeping. Translation
 * happens before the clock starts.
 */
final class RawBaseline {
  private RawBaseline() {}

  static ApplyBench.Result run(Shard shard, BenchWorkload w, int batchSize) throws Exception {
    ChangeTranslator translator =
        new ChangeTranslator(w.session, new MySqlValueConverter(ZoneOffset.UTC));
    List<RowChange> rows = new ArrayList<>(w.changes.size());
    for (Change c : w.changes) {
      TranslationResult r = translator.translate(c);
      if (r instanceof TranslationResult.Translated t) {
        rows.add(t.rowChange());
      }
    }
    try (Connection conn = connect(shard)) {
      MySqlDialect dialect =
          MySqlDialect.forServerVersion(conn.getMetaData().getDatabaseProductVersion());
      conn.setAutoCommit(false);
      try (var st = conn.createStatement()) {
        st.execute("SET foreign_key_checks = 0");
      }
      ApplyBench.Clock clock = ApplyBench.Clock.start();
      for (int i = 0; i < rows.size(); i += batchSize) {
        Map<String, List<RowChange>> groups = new LinkedHashMap<>();
        for (RowChange r : rows.subList(i, Math.min(rows.size(), i + batchSize))) {
          groups
              .computeIfAbsent(
                  r.sourceTable() + "|" + (r.kind() == ModKind.DELETE), k -> new ArrayList<>())
              .add(r);
        }
        Map<String, PreparedStatement> prepared = new HashMap<>();
        for (List<RowChange> g : groups.values()) {
          for (int j = 0; j < g.size(); j += 500) {
            execute(conn, prepared, statement(dialect, g.subList(j, Math.min(g.size(), j + 500))));
          }
        }
        conn.commit();
        for (PreparedStatement ps : prepared.values()) {
          ps.close();
        }
      }
      return clock.stop(rows.size(), rows.size());
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

  // Each statement shape is prepared once per transaction, as the writer does.
  private static void execute(
      Connection conn, Map<String, PreparedStatement> prepared, SqlStatement s) throws Exception {
    PreparedStatement ps = prepared.get(s.sql());
    if (ps == null) {
      ps = conn.prepareStatement(s.sql());
      prepared.put(s.sql(), ps);
    }
    s.bind(ps);
    ps.executeUpdate();
  }

  /**
   * A plain driver connection with the writer pool's driver properties and the shard's own
   * connection properties on top, exactly as the writer's pool connects.
   */
  static Connection connect(Shard shard) throws SQLException {
    Properties p = new Properties();
    ShardPools.DRIVER_DEFAULTS.forEach(p::setProperty);
    shard.connectionProperties().forEach(p::setProperty);
    p.setProperty("user", shard.user());
    p.setProperty("password", shard.password() == null ? "" : shard.password());
    Connection c = DriverManager.getConnection(shard.jdbcUrl(), p);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return c;
  }
}
