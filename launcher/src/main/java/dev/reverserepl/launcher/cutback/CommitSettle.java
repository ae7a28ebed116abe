package dev.reverserepl.launcher.cutback;

import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.launcher.operate.ProgressSource;
import dev.reverserepl.launcher.operate.ShardProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides when a commit may go ahead. Rules:
 *
 * <ol>
 *   <li>Every shard must be reachable and no dead letter pending.
 *   <li>The target is the newest Spanner commit known: the run's newest source commit, else the
 *       newest commit any shard applied. Every shard must have applied through it (in a COMPLETED
 *       bounded run every reachable shard has).
 *   <li>Settled: every shard's {@code appliedThrough} (published-through markers of the ordering
 *       pipeline) is at least target + settle, i.e. the settle period of Spanner time after the
 *       newest commit passed without another one; or the run is a bounded one that COMPLETED.
 *       Positions that merely stop moving prove nothing (a slow pipeline looks the same), so
 *       without markers a running run never settles.
 * </ol>
 */
final class CommitSettle {
  private final ProgressSource progress;
  private final Duration settle;
  private final Clock clock;

  CommitSettle(ProgressSource progress, Duration settle, Clock clock) {
    this.progress = progress;
    this.settle = settle;
    this.clock = clock;
  }

  /** The target when settled now; empty with {@code reasons} filled otherwise. */
  Optional<Instant> check(boolean runCompleted, List<String> reasons) {
    List<ShardProgress> shards = progress.shards();
    long pending = progress.pendingDeadLetters();
    Optional<Instant> latest = progress.latestSourceCommit();
    boolean markers = false;
    for (ShardProgress s : shards) {
      if (!s.reachable()) {
        reasons.add("shard " + s.shardId() + " unreachable: " + s.error());
      }
      if (s.lastAppliedCommit().isPresent()
          && (latest.isEmpty() || s.lastAppliedCommit().get().isAfter(latest.get()))
          && progress.latestSourceCommit().isEmpty()) {
        latest = s.lastAppliedCommit();
      }
      for (AppliedPosition p : s.partitions()) {
        markers |= p.publishedThroughNanos() > 0;
      }
    }
    if (pending > 0) {
      reasons.add(pending + " dead letter(s) pending");
    }
    Instant target = latest.orElse(Instant.EPOCH);
    for (ShardProgress s : shards) {
      if (s.reachable() && !runCompleted && latest.isPresent() && !s.caughtUpTo(target)) {
        reasons.add(
            "shard "
                + s.shardId()
                + " applied through "
                + s.appliedThrough().map(Instant::toString).orElse("nothing")
                + ", before the newest commit "
                + target);
      }
    }
    if (!reasons.isEmpty()) {
      return Optional.empty();
    }
    if (runCompleted) {
      return Optional.of(target);
    }
    if (!markers) {
      reasons.add("no published-through markers on any shard yet and the run is not COMPLETED");
      return Optional.empty();
    }
    Instant need = target.plus(settle);
    for (ShardProgress s : shards) {
      if (!s.caughtUpTo(need)) {
        reasons.add(
            "shard "
                + s.shardId()
                + " published through "
                + s.appliedThrough().map(Instant::toString).orElse("nothing")
                + ", settle needs "
                + need);
      }
    }
    if (!reasons.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(target);
  }
}
