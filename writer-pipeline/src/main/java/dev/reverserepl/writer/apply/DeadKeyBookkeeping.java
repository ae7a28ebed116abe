package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@link DeadLetterKeys} current inside an apply transaction (rule 6), touching the table
 * only when it can matter. Per stream, whether the shard has any dead key is probed whenever the
 * stream's position is read under lock (the applier's first transaction of the stream, or after
 * another writer moved the row), and set when this applier records one: between two such reads only
 * this applier wrote the stream, and a row's changes all travel in one stream, so no dead key of
 * its rows can appear unseen. A shard without dead keys pays no round trip for them.
 */
final class DeadKeyBookkeeping {
  private static final int CLEAR_CHUNK = 1000;
  private final String shardId;
  private final DeadLetterKeys keys;
  private final Map<Integer, Boolean> present = new java.util.concurrent.ConcurrentHashMap<>();

  DeadKeyBookkeeping(String shardId, DeadLetterKeys keys) {
    this.shardId = shardId;
    this.keys = keys;
  }

  DeadLetterKeys keys() {
    return keys;
  }

  /** Called with the stream's position read under lock. */
  void probe(Connection c, int partition) throws SQLException {
    present.put(partition, keys.any(c, shardId));
  }

  // Applied and dead-lettered changes of one transaction touch disjoint rows only in the common
  // case; when a row has
  // both, its latest change decides whether it stays listed.
  void record(Connection c, int partition, List<Change> applied, List<Change> dead)
      throws SQLException {
    List<Change> clear = applied;
    if (!dead.isEmpty()) {
      Map<String, Change> latest = new LinkedHashMap<>();
      Map<String, Boolean> isDead = new HashMap<>();
      List<Change> all = new ArrayList<>(applied);
      all.addAll(dead);
      all.sort(Comparator.comparing(Change::position));
      Set<Change> deadSet = new HashSet<>(dead);
      for (Change ch : all) {
        String h = DeadLetterKeys.hash(ch);
        latest.put(h, ch);
        isDead.put(h, deadSet.contains(ch));
      }
      clear = new ArrayList<>();
      for (var e : latest.entrySet()) {
        if (isDead.get(e.getKey())) {
          keys.record(c, shardId, e.getValue());
          // Set before the commit: a rolled-back transaction only leaves the flag conservatively
          // true.
          present.put(partition, true);
        } else {
          clear.add(e.getValue());
        }
      }
    }
    if (present.getOrDefault(partition, true) && !clear.isEmpty()) {
      for (int i = 0; i < clear.size(); i += CLEAR_CHUNK) {
        keys.clear(c, shardId, clear.subList(i, Math.min(clear.size(), i + CLEAR_CHUNK)));
      }
    }
  }
}
