package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.AppliedPosition;
import java.util.ArrayList;
import java.util.List;

/** Rule 2: the part of a batch the shard's applied position does not cover yet. */
record Deduplication(List<PreparedChange> fresh, long duplicates) {

  static Deduplication of(List<PreparedChange> batch, AppliedPosition current) {
    List<PreparedChange> fresh = new ArrayList<>(batch.size());
    for (PreparedChange p : batch) {
      if (!current.covers(p.change().change().position())) {
        fresh.add(p);
      }
    }
    return new Deduplication(fresh, batch.size() - fresh.size());
  }
}
