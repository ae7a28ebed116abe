package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.control.PauseState;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.BlockedStatus;
import dev.reverserepl.common.progress.StreamWait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far one shard has been applied, read from its progress table.
 *
 * <p>{@code appliedThrough} is the Spanner commit time up to which the shard is known complete: per
 * partition the later of its last applied commit and its "published through" marker, then the
 * earliest over partitions (a shard is only as far as its slowest stream). Empty when nothing is
 * known yet. {@code lastAppliedCommit} is the newest commit applied on any partition. {@code error}
 * is set (and the rest empty) when the shard could not be read. Only complete Spanner transactions
 * count ({@link AppliedPosition#completeCommitNanos()}): a transaction split over several MySQL
 * transactions counts once its last change is in. {@code blocked} lists the partitions the writer
 * reports blocked by a fault of the shard (disk full, denied, read-only, ...), with why. applied on
 * any partition. {@code error} is set (and the rest empty) when the shard could not be read. {@code
 * waiting} lists the streams the writer reported as waiting for a missing sequence longer than its
 * gap limit (writer rule 13), each with the recovery. {@code paused} says a pause is requested;
 * {@code pause} whether a writer acknowledged it (writer rule 17).
 */
public record ShardProgress(
    String shardId,
    boolean reachable,
    String error,
    boolean paused,
    List<AppliedPosition> partitions,
    Optional<Instant> appliedThrough,
    Optional<Instant> lastAppliedCommit,
    long appliedCount,
    List<StreamWait> waiting,
    List<BlockedStatus> blocked,
    ShardPause pause) {

  public ShardProgress {
    partitions = List.copyOf(partitions);
    waiting = List.copyOf(waiting);
    blocked = List.copyOf(blocked);
    if (pause == null) {
      pause =
          paused ? new ShardPause(PauseState.PAUSE_REQUESTED, 0, null, null) : ShardPause.RUNNING;
    }
  }

  /** A copy with the pause read from the shard's control row ({@code paused} follows it). */
  public ShardProgress withPause(ShardPause p) {
    return new ShardProgress(
        shardId,
        reachable,
        error,
        p.requested(),
        partitions,
        appliedThrough,
        lastAppliedCommit,
        appliedCount,
        waiting,
        blocked,
        p);
  }

  public static ShardProgress unreachable(String shardId, String error) {
    return new ShardProgress(
        shardId,
        false,
        error,
        false,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        0,
        List.of(),
        List.of(),
        ShardPause.RUNNING);
  }

  public static ShardProgress of(String shardId, boolean paused, List<AppliedPosition> partitions) {
    return of(shardId, paused, partitions, List.of());
  }

  public static ShardProgress of(
      String shardId, boolean paused, List<AppliedPosition> partitions, List<StreamWait> waiting) {
    return of(shardId, paused, partitions, waiting, List.of(), 1);
  }

  /**
   * {@code expectedPartitions}: the streams the ordering job publishes for the shard ({@code
   * partitionsPerShard}); a partition among them without a progress row is not known complete, so
   * the shard has no {@code appliedThrough}. {@code blocked}: streams the shard itself holds up
   * (writer rule 4).
   */
  public static ShardProgress of(
      String shardId,
      boolean paused,
      List<AppliedPosition> partitions,
      List<StreamWait> waiting,
      List<BlockedStatus> blocked,
      int expectedPartitions) {
    Optional<Instant> through = Optional.empty();
    Optional<Instant> last = Optional.empty();
    long count = 0;
    java.util.Set<Integer> present = new java.util.HashSet<>();
    partitions.forEach(p -> present.add(p.partition()));
    boolean unknown = partitions.isEmpty();
    for (int p = 0; p < expectedPartitions; p++) {
      unknown |= !present.contains(p);
    }
    for (AppliedPosition p : partitions) {
      count += p.appliedCount();
      Optional<Instant> commit = commitOf(p);
      Optional<Instant> complete =
          max(
              completeOf(p),
              p.publishedThroughNanos() > 0
                  ? Optional.of(
                      dev.reverserepl.common.change.ChangePosition.toInstant(
                          p.publishedThroughNanos()))
                  : Optional.empty());
      if (complete.isEmpty()) {
        unknown = true;
      } else if (through.isEmpty() || complete.get().isBefore(through.get())) {
        through = complete;
      }
      last = max(last, commit);
    }
    return new ShardProgress(
        shardId,
        true,
        null,
        paused,
        partitions,
        unknown ? Optional.empty() : through,
        last,
        count,
        waiting,
        blocked,
        null);
  }

  /**
   * Seconds from {@code appliedThrough} to {@code reference}, never negative; empty when nothing is
   * known.
   */
  public Optional<Double> lagSeconds(Instant reference) {
    return appliedThrough.map(t -> Math.max(0, Duration.between(t, reference).toNanos()) / 1e9);
  }

  /** True when the shard is known complete up to {@code target}. */
  public boolean caughtUpTo(Instant target) {
    return reachable && appliedThrough.map(t -> !t.isBefore(target)).orElse(false);
  }

  public ObjectNode toJson(Instant reference) {
    ObjectNode o = Json.object();
    o.put("shardId", shardId);
    o.put("reachable", reachable);
    if (error != null) {
      o.put("error", error);
    }
    o.put("paused", paused);
    pause.writeTo(o);
    o.put("appliedThrough", appliedThrough.map(Instant::toString).orElse(null));
    o.put("lastAppliedCommitTimestamp", lastAppliedCommit.map(Instant::toString).orElse(null));
    Optional<Double> lag = lagSeconds(reference);
    if (lag.isPresent()) {
      o.put("lagTimeSeconds", lag.get());
    } else {
      o.putNull("lagTimeSeconds");
    }
    o.put("appliedCount", appliedCount);
    ArrayNode blockedArr = o.putArray("blocked");
    for (BlockedStatus b : blocked) {
      ObjectNode bo = blockedArr.addObject();
      bo.put("partition", b.partition());
      bo.put("since", b.since().toString());
      bo.put("reason", b.reason());
      bo.put("errorCode", b.errorCode());
      bo.put("sqlState", b.sqlState());
      bo.put("message", b.message());
      bo.put("attempts", b.attempts());
    }
    ArrayNode waits = o.putArray("waiting");
    for (StreamWait w : waiting) {
      ObjectNode wo = waits.addObject();
      wo.put("partition", w.partition());
      wo.put("epoch", w.epoch());
      wo.put("missingSequence", w.missingSequence());
      wo.put("since", w.since().toString());
      wo.put("waitingSeconds", w.waited(reference).toSeconds());
      wo.put("recovery", StreamWait.RECOVERY);
    }
    ArrayNode parts = o.putArray("partitions");
    for (AppliedPosition p : partitions) {
      ObjectNode po = parts.addObject();
      po.put("partition", p.partition());
      po.put("epoch", p.epoch());
      po.put("sequence", p.sequence());
      po.put("appliedCommitTimestamp", commitOf(p).map(Instant::toString).orElse(null));
      po.put("serverTransactionId", p.position().serverTransactionId());
      po.put("appliedCount", p.appliedCount());
      po.put(
          "publishedThrough",
          p.publishedThroughNanos() > 0
              ? dev.reverserepl.common.change.ChangePosition.toInstant(p.publishedThroughNanos())
                  .toString()
              : null);
      po.put("updatedAt", p.updatedAt().toString());
    }
    return o;
  }

  private static Optional<Instant> commitOf(AppliedPosition p) {
    return p.isInitial() || p.position().commitNanos() == Long.MIN_VALUE
        ? Optional.empty()
        : Optional.of(p.position().commitTimestamp());
  }

  private static Optional<Instant> completeOf(AppliedPosition p) {
    return p.isInitial()
            || p.completeCommitNanos() == Long.MIN_VALUE
            || p.completeCommitNanos() == 0
        ? Optional.empty()
        : Optional.of(
            dev.reverserepl.common.change.ChangePosition.toInstant(p.completeCommitNanos()));
  }

  private static Optional<Instant> max(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().isAfter(b.get()) ? a : b;
  }
}
