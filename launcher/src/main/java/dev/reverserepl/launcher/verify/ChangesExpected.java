package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.routing.RoutingResult;
import dev.reverserepl.common.routing.ShardRouter;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.translate.ChangeTranslator;
import dev.reverserepl.common.translate.RowChange;
import dev.reverserepl.common.translate.TranslationResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state the change records imply, built in memory (this mode is for local runs and tests, whose
 * inputs fit in memory; use {@code --spanner} for production-sized tables). Replays the changes the
 * way the pipelines would: forward-migration transactions ({@code txBy=} tags) and tables without a
 * source table are left out, every change is routed with the {@link ShardRouter} (a delete without
 * the shard column goes to the shard that last held its key), translated with the writer's {@link
 * ChangeTranslator}, and applied in commit order.
 */
final class ChangesExpected implements ExpectedSource {
  private final String path;
  private final Map<String, Map<String, TreeMap<List<String>, CanonicalRow>>> rows =
      new HashMap<>();
  private final Map<String, Long> ignored = new LinkedHashMap<>();

  private ChangesExpected(String path) {
    this.path = path;
  }

  static ChangesExpected load(
      String path,
      SessionMapping session,
      List<Shard> shards,
      MySqlValueConverter converter,
      String shardIdFetcherClass) {
    ChangesExpected e = new ChangesExpected(path);
    List<Change> changes = new ArrayList<>();
    try (ChangeRecordReader r = ChangeRecordReader.open(path)) {
      while (r.hasNext()) {
        for (Change c : ChangeRecordReader.toChanges(r.next())) {
          if (c.transactionTag().startsWith("txBy=")) {
            e.count("forwardMigration");
          } else if (session.table(c.table()).isEmpty()) {
            e.count("notReplicatedTable");
          } else {
            changes.add(c);
          }
        }
      }
    }
    changes.sort(Comparator.comparing(Change::position));
    ShardRouter router = new ShardRouter(session, shards);
    if (shardIdFetcherClass != null && !shardIdFetcherClass.isEmpty()) {
      router = router.withCustomFetcher(shardIdFetcherClass);
    }
    ChangeTranslator translator = new ChangeTranslator(session, converter);
    Map<String, String> lastShard = new HashMap<>();
    for (Change c : changes) {
      TableMapping table = session.table(c.table()).orElseThrow();
      TableShape shape = TableShape.of(table);
      TranslationResult t = translator.translate(c);
      if (!(t instanceof TranslationResult.Translated tr)) {
        e.count("untranslatable");
        continue;
      }
      RowChange row = tr.rowChange();
      List<String> key = new ArrayList<>();
      for (int i = 0; i < shape.keyColumns().size(); i++) {
        key.add(ColumnCodec.fromJdbc(row.keyValues().get(i), shape.keyColumns().get(i)));
      }
      String keyId = table.spannerTable() + "\u0000" + key;
      RoutingResult routed = router.route(c);
      String shard;
      if (routed instanceof RoutingResult.Routed rr) {
        shard = rr.shardId();
      } else if (c.kind().isDelete() && lastShard.containsKey(keyId)) {
        shard = lastShard.get(keyId);
      } else {
        e.count("unroutable");
        continue;
      }
      TreeMap<List<String>, CanonicalRow> tableRows =
          e.rows
              .computeIfAbsent(shard, s -> new HashMap<>())
              .computeIfAbsent(
                  table.spannerTable(), x -> new TreeMap<>(new KeyOrder(shape.keyColumns())));
      if (c.kind().isDelete()) {
        tableRows.remove(key);
        lastShard.remove(keyId);
        continue;
      }
      CanonicalRow before = tableRows.get(key);
      List<String> values =
          before == null
              ? new ArrayList<>(Collections.nCopies(shape.columns().size(), CanonicalRow.ABSENT))
              : new ArrayList<>(before.values());
      for (int i = 0; i < row.columns().size(); i++) {
        String col = row.columns().get(i);
        ColumnMapping m = table.sourceColumn(col).orElseThrow();
        values.set(shape.indexOf(m), ColumnCodec.fromJdbc(row.values().get(i), m));
      }
      tableRows.put(key, new CanonicalRow(key, row.keyValues(), values));
      lastShard.put(keyId, shard);
    }
    return e;
  }

  private void count(String reason) {
    ignored.merge(reason, 1L, Long::sum);
  }

  /**
   * Changes left out, by reason (forwardMigration, notReplicatedTable, untranslatable, unroutable).
   */
  Map<String, Long> ignored() {
    return ignored;
  }

  private TreeMap<List<String>, CanonicalRow> table(TableShape shape, String shardId) {
    return rows.getOrDefault(shardId, Map.of())
        .getOrDefault(shape.table().spannerTable(), new TreeMap<>());
  }

  @Override
  public Iterator<CanonicalRow> rows(TableShape shape, String shardId) {
    return table(shape, shardId).values().iterator();
  }

  @Override
  public Optional<CanonicalRow> lookup(TableShape shape, String shardId, CanonicalRow key) {
    return Optional.ofNullable(table(shape, shardId).get(key.key()));
  }

  @Override
  public String describe() {
    return "changes " + path;
  }
}
