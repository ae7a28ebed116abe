package dev.reverserepl.ordering.route;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Before rule R2's per-row stage: a delete that history may resolve goes there and waits; every
 * other change goes straight on, and a routed change of a table whose deletes can lack the shard-id
 * column also leaves a {@link Sighting} of its row. Nothing else waits for the watermark.
 */
public final class SplitForHistoryFn extends DoFn<RoutingAttempt, RoutingAttempt> {
  public static final TupleTag<RoutingAttempt> ON = new TupleTag<>("on") {};
  public static final TupleTag<KV<String, HistoryInput>> HISTORY = new TupleTag<>("history") {};

  private final Set<String> historyTables;

  public SplitForHistoryFn(Set<String> historyTables) {
    this.historyTables = new HashSet<>(historyTables);
  }

  /**
   * Tables whose deletes may lack the shard-id column: it is not part of their Spanner key, so a
   * delete's keys never carry it.
   */
  public static Set<String> historyTables(SessionMapping session) {
    Set<String> tables = new HashSet<>();
    for (TableMapping t : session.tables()) {
      if (t.shardIdColumn() != null && !inKey(t)) {
        tables.add(t.spannerTable());
      }
    }
    return tables;
  }

  private static boolean inKey(TableMapping t) {
    String shard = t.shardIdColumn().toLowerCase(Locale.ROOT);
    return t.spannerPrimaryKey().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(shard));
  }

  @ProcessElement
  public void process(@Element RoutingAttempt a, MultiOutputReceiver out) {
    if (a.historyMayResolve()) {
      out.get(HISTORY).output(KV.of(a.rowKey(), HistoryInput.waiting(a)));
      return;
    }
    out.get(ON).output(a);
    if (a.resolved() && historyTables.contains(a.change().table())) {
      out.get(HISTORY)
          .output(
              KV.of(a.rowKey(), HistoryInput.of(new Sighting(a.change().position(), a.shardId()))));
    }
  }
}
