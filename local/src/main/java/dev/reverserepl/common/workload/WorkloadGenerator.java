package dev.reverserepl.common.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;
import dev.reverserepl.common.changes.InputFiles;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ColumnType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.TypeCode;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;

/**
 * Generates a deterministic stream of Spanner data change records (NEW_ROW capture) for any session
 * file: inserts, updates and deletes in multi-mod transactions, interleaved children that follow
 * their parents, transactions tagged by the forward migration (which replication must drop) and
 * changes to Spanner-only tables (which it must skip). Commit timestamps strictly increase, so the
 * same spec always yields the same records and positions.
 */
public final class WorkloadGenerator {
  public static final String FORWARD_MIGRATION_TAG = "txBy=forward-migration";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final SessionMapping mapping;
  private final WorkloadSpec spec;
  private final Random random;
  private final ValueGenerator values;
  private final Map<String, TableState> tables = new LinkedHashMap<>();
  private final List<TableState> replicated = new ArrayList<>();
  private final List<TableState> spannerOnly = new ArrayList<>();

  public WorkloadGenerator(SessionMapping mapping, JsonNode rawSession, WorkloadSpec spec) {
    this.mapping = mapping;
    this.spec = spec;
    this.random = new Random(spec.seed());
    this.values = new ValueGenerator(random);
    for (SpannerTables.Table t : SpannerTables.parse(rawSession).values()) {
      TableState s = new TableState(t, mapping.table(t.name()).orElse(null));
      tables.put(t.name(), s);
      (s.mapping == null ? spannerOnly : replicated).add(s);
    }
    for (TableState s : tables.values()) {
      if (s.sp.parent() != null && tables.containsKey(s.sp.parent())) {
        tables.get(s.sp.parent()).children.add(s);
      }
    }
    if (replicated.isEmpty()) {
      throw new IllegalArgumentException(
          "the session maps no Spanner table to a source table: nothing to generate");
    }
  }

  /** A generator for the session file at {@code path} (local or gs://). */
  public static WorkloadGenerator forSessionFile(String path, WorkloadSpec spec) {
    String text = InputFiles.readString(path);
    JsonNode raw;
    try {
      raw = Json.parse(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(path, "", "", "not valid JSON: " + e.getOriginalMessage(), e);
    }
    return new WorkloadGenerator(SessionMapping.parse(text, path), raw, spec);
  }

  /** Emits records in commit order and returns what was generated. */
  public WorkloadSummary generate(Consumer<DataChangeRecord> out) {
    long micros = spec.start().getEpochSecond() * 1_000_000L + spec.start().getNano() / 1_000;
    WorkloadSummary.Builder summary = new WorkloadSummary.Builder();
    long produced = 0;
    long stalls = 0;
    while (produced < spec.changes()) {
      micros += 500 + random.nextInt(1500);
      Txn txn = new Txn(micros);
      double dice = random.nextDouble();
      if (dice < spec.skippedTableShare() && !spannerOnly.isEmpty()) {
        spannerOnlyTransaction(txn);
        summary.skipped(txn.mods.size());
      } else if (dice < spec.skippedTableShare() + spec.forwardMigrationShare() && anyLiveRow()) {
        forwardMigrationTransaction(txn);
        summary.filtered(txn.mods.size());
      } else {
        int n =
            (int)
                Math.min(1 + random.nextInt(spec.maxTransactionSize()), spec.changes() - produced);
        for (int i = 0; i < n && txn.mods.size() < n; i++) {
          replicatedMod(txn, n - txn.mods.size());
        }
        if (txn.mods.isEmpty()) {
          if (++stalls > 1000) {
            throw new IllegalStateException(
                "the session's key space is exhausted after " + produced + " changes");
          }
          continue;
        }
        stalls = 0; // only attempts that fail in a row mean the key space is exhausted
        produced += txn.mods.size();
        summary.replicated(txn.mods.size());
        for (PendingMod m : txn.mods) {
          summary.mod(m.kind);
        }
      }
      if (!txn.mods.isEmpty()) {
        summary.transaction();
        emit(txn, out);
      }
    }
    return summary.build();
  }

  private boolean anyLiveRow() {
    for (TableState t : replicated) {
      if (!t.live.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private void replicatedMod(Txn txn, int budget) {
    TableState t = replicated.get(random.nextInt(replicated.size()));
    double op = random.nextDouble();
    if (op < spec.deleteShare() && !t.live.isEmpty()) {
      String key = t.randomLiveKey(random);
      if (!txn.touched.contains(t.name() + key) && 1 + t.descendants(key) <= budget) {
        delete(txn, t, key);
      }
    } else if (op < spec.deleteShare() + spec.updateShare() && !t.live.isEmpty()) {
      String key = t.randomLiveKey(random);
      if (txn.touched.add(t.name() + key)) {
        Row row = t.rows.get(key);
        row.values = newValues(t, row.shard);
        txn.mods.add(new PendingMod(t, ModType.UPDATE, row.keys, row.values));
      }
    } else {
      insert(txn, t);
    }
  }

  private void insert(Txn txn, TableState t) {
    TableState parent = t.sp.parent() == null ? null : tables.get(t.sp.parent());
    ObjectNode keys = F.objectNode();
    String shard = spec.shardIds().get(random.nextInt(spec.shardIds().size()));
    int own = 0;
    if (parent != null) {
      if (parent.live.isEmpty()) {
        insert(txn, parent);
        return;
      }
      String parentKey = parent.randomLiveKey(random);
      if (txn.deleted.contains(parent.name() + parentKey)) {
        return;
      }
      Row p = parent.rows.get(parentKey);
      shard = p.shard;
      List<String> parentPk = parent.sp.primaryKey();
      for (int i = 0; i < parentPk.size() && i < t.sp.primaryKey().size(); i++) {
        keys.set(t.sp.primaryKey().get(i), p.keys.get(parentPk.get(i)));
      }
      own = parentPk.size();
    }
    if (t.nextKey > t.capacity) {
      return;
    }
    long n = t.nextKey++;
    for (int i = own; i < t.sp.primaryKey().size(); i++) {
      String col = t.sp.primaryKey().get(i);
      keys.set(
          col,
          values.key(
              t.sp.column(col), t.mapping == null ? null : t.mapping.column(col).orElse(null), n));
    }
    String key = keys.toString();
    if (t.rows.containsKey(key) || !txn.touched.add(t.name() + key)) {
      return;
    }
    Row row = new Row(keys, newValues(t, shard), shard);
    t.add(key, row);
    if (parent != null) {
      t.byParent
          .computeIfAbsent(parentKeyOf(t, parent, keys), k -> new LinkedHashMap<>())
          .put(key, Boolean.TRUE);
    }
    txn.mods.add(new PendingMod(t, ModType.INSERT, row.keys, row.values));
  }

  private void delete(Txn txn, TableState t, String key) {
    Row row = t.rows.get(key);
    // Spanner deletes interleaved children with their parent; emit those deletes first, as their
    // own mods.
    for (TableState child : t.children) {
      Map<String, Boolean> kids = child.byParent.remove(key);
      if (kids != null) {
        for (String childKey : new ArrayList<>(kids.keySet())) {
          if (child.rows.containsKey(childKey)) {
            delete(txn, child, childKey);
          }
        }
      }
    }
    txn.touched.add(t.name() + key);
    txn.deleted.add(t.name() + key);
    t.remove(key);
    if (t.sp.parent() != null && tables.containsKey(t.sp.parent())) {
      Map<String, Boolean> siblings =
          t.byParent.get(parentKeyOf(t, tables.get(t.sp.parent()), row.keys));
      if (siblings != null) {
        siblings.remove(key);
      }
    }
    txn.mods.add(new PendingMod(t, ModType.DELETE, row.keys, F.objectNode()));
  }

  private static String parentKeyOf(TableState child, TableState parent, ObjectNode childKeys) {
    ObjectNode k = F.objectNode();
    List<String> parentPk = parent.sp.primaryKey();
    for (int i = 0; i < parentPk.size(); i++) {
      k.set(parentPk.get(i), childKeys.get(child.sp.primaryKey().get(i)));
    }
    return k.toString();
  }

  private void forwardMigrationTransaction(Txn txn) {
    txn.tag = FORWARD_MIGRATION_TAG;
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      TableState t = replicated.get(random.nextInt(replicated.size()));
      if (t.live.isEmpty()) {
        continue;
      }
      String key = t.randomLiveKey(random);
      if (txn.touched.add(t.name() + key)) {
        Row row = t.rows.get(key);
        // Values the replicated state never takes on: if the filter leaks, verification notices.
        txn.mods.add(new PendingMod(t, ModType.UPDATE, row.keys, newValues(t, row.shard)));
      }
    }
  }

  private void spannerOnlyTransaction(Txn txn) {
    TableState t = spannerOnly.get(random.nextInt(spannerOnly.size()));
    ObjectNode keys = F.objectNode();
    long n = t.nextKey++;
    for (String col : t.sp.primaryKey()) {
      keys.set(col, values.key(t.sp.column(col), null, n));
    }
    txn.mods.add(new PendingMod(t, ModType.INSERT, keys, newValues(t, spec.shardIds().get(0))));
  }

  private ObjectNode newValues(TableState t, String shard) {
    ObjectNode v = F.objectNode();
    String shardColumn = t.mapping == null ? null : t.mapping.shardIdColumn();
    for (SpannerTables.Column c : t.sp.columns()) {
      if (t.sp.primaryKey().contains(c.name())) {
        continue;
      }
      if (c.name().equals(shardColumn)) {
        v.put(c.name(), shard);
        continue;
      }
      ColumnMapping cm = t.mapping == null ? null : t.mapping.column(c.name()).orElse(null);
      v.set(c.name(), values.value(c, cm));
    }
    return v;
  }

  private void emit(Txn txn, Consumer<DataChangeRecord> out) {
    // One record per run of mods with the same table and kind, as Spanner groups them.
    List<List<PendingMod>> records = new ArrayList<>();
    for (PendingMod m : txn.mods) {
      List<PendingMod> last = records.isEmpty() ? null : records.get(records.size() - 1);
      if (last != null && last.get(0).table == m.table && last.get(0).kind == m.kind) {
        last.add(m);
      } else {
        List<PendingMod> r = new ArrayList<>();
        r.add(m);
        records.add(r);
      }
    }
    Timestamp commit = Timestamp.ofTimeMicroseconds(txn.micros);
    byte[] id = new byte[12];
    random.nextBytes(id);
    String txnId = Base64.getEncoder().encodeToString(id);
    for (int i = 0; i < records.size(); i++) {
      List<PendingMod> r = records.get(i);
      TableState t = r.get(0).table;
      List<Mod> mods = new ArrayList<>();
      for (PendingMod m : r) {
        mods.add(
            new Mod(
                m.keys.toString(), "{}", m.kind == ModType.DELETE ? "{}" : m.newValues.toString()));
      }
      out.accept(
          new DataChangeRecord(
              "generated-partition",
              commit,
              txnId,
              i == records.size() - 1,
              String.format("%08d", i),
              t.name(),
              rowType(t),
              mods,
              r.get(0).kind,
              ValueCaptureType.NEW_ROW,
              records.size(),
              1,
              txn.tag,
              false,
              null));
    }
  }

  private static List<ColumnType> rowType(TableState t) {
    List<ColumnType> types = new ArrayList<>();
    long ordinal = 1;
    for (SpannerTables.Column c : t.sp.columns()) {
      String code =
          c.array()
              ? "{\"code\":\"ARRAY\",\"array_element_type\":{\"code\":\"" + c.type() + "\"}}"
              : "{\"code\":\"" + c.type() + "\"}";
      types.add(
          new ColumnType(
              c.name(), new TypeCode(code), t.sp.primaryKey().contains(c.name()), ordinal++));
    }
    return types;
  }

  /** The mapping the workload was generated for. */
  public SessionMapping mapping() {
    return mapping;
  }

  private static final class Row {
    final ObjectNode keys;
    ObjectNode values;
    final String shard;

    Row(ObjectNode keys, ObjectNode values, String shard) {
      this.keys = keys;
      this.values = values;
      this.shard = shard;
    }
  }

  private record PendingMod(
      TableState table, ModType kind, ObjectNode keys, ObjectNode newValues) {}

  private static final class Txn {
    final long micros;
    final List<PendingMod> mods = new ArrayList<>();
    final Set<String> touched = new HashSet<>();
    final Set<String> deleted = new HashSet<>();
    String tag = "";

    Txn(long micros) {
      this.micros = micros;
    }
  }

  private final class TableState {
    final SpannerTables.Table sp;
    final TableMapping mapping;
    final List<String> live = new ArrayList<>();
    final Map<String, Integer> index = new java.util.HashMap<>();
    final Map<String, Row> rows = new java.util.HashMap<>();
    final List<TableState> children = new ArrayList<>();
    final Map<String, Map<String, Boolean>> byParent = new java.util.HashMap<>();
    final long capacity;
    long nextKey = 1;

    TableState(SpannerTables.Table sp, TableMapping mapping) {
      this.sp = sp;
      this.mapping = mapping;
      long cap = Long.MAX_VALUE;
      for (String col : sp.primaryKey()) {
        cap =
            Math.min(
                cap,
                values.keyCapacity(
                    sp.column(col), mapping == null ? null : mapping.column(col).orElse(null)));
      }
      this.capacity = cap;
    }

    String name() {
      return sp.name();
    }

    String randomLiveKey(Random r) {
      return live.get(r.nextInt(live.size()));
    }

    long descendants(String key) {
      long n = 0;
      for (TableState child : children) {
        Map<String, Boolean> kids = child.byParent.get(key);
        if (kids != null) {
          for (String k : kids.keySet()) {
            n += 1 + child.descendants(k);
          }
        }
      }
      return n;
    }

    void add(String key, Row row) {
      rows.put(key, row);
      index.put(key, live.size());
      live.add(key);
    }

    void remove(String key) {
      rows.remove(key);
      Integer i = index.remove(key);
      String last = live.remove(live.size() - 1);
      if (i != null && i < live.size()) {
        live.set(i, last);
        index.put(last, i);
      }
    }
  }
}
