package dev.reverserepl.launcher.cutback;

import dev.reverserepl.launcher.operate.ProgressSource;
import dev.reverserepl.launcher.operate.ShardProgress;
import dev.reverserepl.common.progress.AppliedPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides when a commit may go ahead. Rules:
 *
 * <ol>
 *   <li>Every shard must be reachable and no dead letter pending.
 *   <li>The target is the newest Spanner commit known: the run's newest source commit, else the newest commit any
 *       shard applied. Every shard must have applied through it (in a COMPLETED bounded run every reachable shard
 *       has).
 *   <li>Settled, with progress markers (any partition has a published-through marker): every shard's
 *       {@code appliedThrough} is at least target + settle, i.e. the ordering pipeline has seen the settle period of
 *       Spanner time after the newest commit pass without another one. Without markers (change-record input): the
 *       shards' positions and the target stayed the same for the settle period of wall-clock time.
 * </ol>
 */
final class CommitSettle {
  private final ProgressSource progress;
  private final Duration settle;
  private final Clock clock;
  private String lastKey;
  private Instant stableSince;

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
    StringBuilder key = new StringBuilder();
    for (ShardProgress s : shards) {
      if (!s.reachable()) {
        reasons.add("shard " + s.shardId() + " unreachable: " + s.error());
      }
      if (s.lastAppliedCommit().isPresent() && (latest.isEmpty() || s.lastAppliedCommit().get().isAfter(latest.get()))
          && progress.latestSourceCommit().isEmpty()) {
        latest = s.lastAppliedCommit();
      }
      for (AppliedPosition p : s.partitions()) {
        markers |= p.publishedThroughNanos() > 0;
      }
      key.append(s.shardId()).append('=').append(s.appliedCount()).append(s.appliedThrough()).append(';');
    }
    if (pending > 0) {
      reasons.add(pending + " dead letter(s) pending");
    }
    Instant target = latest.orElse(Instant.EPOCH);
    for (ShardProgress s : shards) {
      if (s.reachable() && !runCompleted && latest.isPresent() && !s.caughtUpTo(target)) {
        reasons.add("shard " + s.shardId() + " applied through "
            + s.appliedThrough().map(Instant::toString).orElse("nothing") + ", before the newest commit " + target);
      }
    }
    Instant now = clock.instant();
    key.append(target);
    if (!key.toString().equals(lastKey)) {
      lastKey = key.toString();
      stableSince = now;
    }
    if (!reasons.isEmpty()) {
      return Optional.empty();
    }
    if (markers) {
      Instant need = target.plus(settle);
      List<String> early = new ArrayList<>();
      for (ShardProgress s : shards) {
        if (!runCompleted && !s.caughtUpTo(need)) {
          early.add("shard " + s.shardId() + " published through "
              + s.appliedThrough().map(Instant::toString).orElse("nothing") + ", settle needs " + need);
        }
      }
      reasons.addAll(early);
      return early.isEmpty() ? Optional.of(target) : Optional.empty();
    }
    if (Duration.between(stableSince, now).compareTo(settle) < 0) {
      reasons.add("positions stable for " + Duration.between(stableSince, now).toMillis() + " ms of "
          + settle.toMillis() + " ms settle period");
      return Optional.empty();
    }
    return Optional.of(target);
  }
}
