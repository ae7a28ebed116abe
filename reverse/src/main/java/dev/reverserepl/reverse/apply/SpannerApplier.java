package dev.reverserepl.reverse.apply;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.SpannerException;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes translated source transactions of one shard to Spanner exactly once. Rules:
 *
 * <ol>
 *   <li>A batch of consecutive source transactions is one Spanner read-write transaction that reads
 *       the shard's row of the position table, drops every source transaction ending at or before
 *       it (counted as duplicates), buffers the others' mutations in binlog order and the new
 *       position with them. So a crash anywhere, a restart from an older position, or a second
 *       reader of the same shard never applies a source transaction twice.
 *   <li>Every Spanner transaction carries the tag {@link #TAG} ({@code txBy=} prefix), which the
 *       ordering pipeline's forward-migration filter drops: writes of the reverse direction never
 *       come back to MySQL.
 *   <li>When a batch fails for a reason other than contention, its source transactions are applied
 *       one by one; one that Spanner rejects on its own is dead-lettered as a whole (all its rows,
 *       with Spanner's error) and the position moves past it, so one bad row never stops the shard
 *       and source transactions stay atomic.
 * </ol>
 */
public final class SpannerApplier {
  public static final String TAG = "txBy=rr-reverse";
  private static final Set<ErrorCode> CONTENTION =
      Set.of(
          ErrorCode.ABORTED,
          ErrorCode.UNAVAILABLE,
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.RESOURCE_EXHAUSTED);

  /** The Spanner emulator runs one read-write transaction per database at a time. */
  private static final ReentrantLock EMULATOR_LOCK = new ReentrantLock();

  /** What one call changed. */
  public record Result(
      long transactions,
      long rows,
      long duplicates,
      long deadLettered,
      Optional<ReversePosition> position) {}

  private final DatabaseClient db;
  private final ReversePositionTable table;
  private final String shardId;
  private final ReverseDeadLetters deadLetters;
  private final boolean serialize;

  public SpannerApplier(
      DatabaseClient db,
      ReversePositionTable table,
      String shardId,
      ReverseDeadLetters deadLetters,
      boolean serialize) {
    this.db = db;
    this.table = table;
    this.shardId = shardId;
    this.deadLetters = deadLetters;
    this.serialize = serialize;
  }

  public Result apply(List<PreparedTransaction> batch) {
    try {
      return once(batch, false);
    } catch (SpannerException e) {
      if (CONTENTION.contains(e.getErrorCode())) {
        throw e;
      }
      return oneByOne(batch);
    }
  }

  private Result oneByOne(List<PreparedTransaction> batch) {
    long tx = 0;
    long rows = 0;
    long dup = 0;
    long dead = 0;
    Optional<ReversePosition> last = Optional.empty();
    for (PreparedTransaction p : batch) {
      Result r;
      try {
        r = once(List.of(p), false);
      } catch (SpannerException e) {
        if (CONTENTION.contains(e.getErrorCode())) {
          throw e;
        }
        for (Mutation m : p.mutations()) {
          deadLetters.write(
              shardId,
              p.source().end().toString(),
              m.getTable(),
              m.getOperation().name(),
              m.toString(),
              "Spanner rejected the source transaction: " + e.getMessage());
        }
        r = once(List.of(p), true);
      }
      tx += r.transactions();
      rows += r.rows();
      dup += r.duplicates();
      dead += r.deadLettered();
      last = r.position().isPresent() ? r.position() : last;
    }
    return new Result(tx, rows, dup, dead, last);
  }

  /**
   * {@code dropMutations}: advance the position past the batch with none of its rows (they were
   * dead-lettered).
   */
  private Result once(List<PreparedTransaction> batch, boolean dropMutations) {
    for (PreparedTransaction p : batch) {
      for (PreparedTransaction.DeadRow d : p.failures()) {
        deadLetters.write(
            shardId, p.source().end().toString(), d.table(), d.kind(), d.row(), d.error());
      }
    }
    if (serialize) {
      EMULATOR_LOCK.lock();
    }
    try {
      Result[] out = new Result[1];
      db.readWriteTransaction(Options.tag(TAG))
          .run(
              txn -> {
                Optional<ReversePosition> stored = table.read(txn, shardId);
                List<Mutation> ms = new ArrayList<>();
                long tx = 0;
                long rows = 0;
                long dup = 0;
                long dead = 0;
                PreparedTransaction lastApplied = null;
                for (PreparedTransaction p : batch) {
                  BinlogPosition end = p.source().end();
                  if (stored.isPresent() && !end.isAfter(stored.get().applied())) {
                    dup++;
                    continue;
                  }
                  if (dropMutations) {
                    dead += p.rows() + p.failures().size();
                  } else {
                    ms.addAll(p.mutations());
                    rows += p.rows();
                    dead += p.failures().size();
                  }
                  tx++;
                  lastApplied = p;
                }
                if (lastApplied == null) {
                  out[0] = new Result(0, 0, dup, 0, stored);
                  return null;
                }
                ReversePosition next =
                    new ReversePosition(
                        shardId,
                        lastApplied.source().end(),
                        stored.map(ReversePosition::appliedRows).orElse(0L) + rows,
                        stored.map(ReversePosition::appliedTransactions).orElse(0L) + tx,
                        stored.map(ReversePosition::deadLettered).orElse(0L) + dead,
                        Optional.of(
                            ReversePositionTable.toTimestamp(lastApplied.source().committedAt())),
                        Optional.empty());
                ms.add(table.write(next));
                txn.buffer(ms);
                out[0] = new Result(tx, rows, dup, dead, Optional.of(next));
                return null;
              });
      return out[0];
    } finally {
      if (serialize) {
        EMULATOR_LOCK.unlock();
      }
    }
  }

  /**
   * Writes the shard's starting position (the commit point) unless a row exists; no source row is
   * written.
   */
  public void initialise(BinlogPosition start) {
    if (serialize) {
      EMULATOR_LOCK.lock();
    }
    try {
      db.readWriteTransaction(Options.tag(TAG))
          .run(
              txn -> {
                if (table.read(txn, shardId).isEmpty()) {
                  txn.buffer(
                      table.write(
                          new ReversePosition(
                              shardId, start, 0, 0, 0, Optional.empty(), Optional.empty())));
                }
                return null;
              });
    } finally {
      if (serialize) {
        EMULATOR_LOCK.unlock();
      }
    }
  }
}
