package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@code GET /api/v1/progress} document (fields documented in the launcher README).
 * Rules:
 *
 * <ol>
 *   <li>{@code lagTimeSeconds} is the largest lag of any shard (a run is only as current as its
 *       slowest shard); null when no shard has a known position.
 *   <li>{@code canCutBack} is true only when every shard is reachable and complete up to the target
 *       commit time (the requested one, else the newest Spanner commit the run reports, else the
 *       newest commit any shard applied) and no dead letter is pending.
 *   <li>In state COMPLETED a bounded run has applied all of its input, so every reachable shard
 *       counts as complete up to the target even when it saw no change (and no progress marker)
 *       near the end.
 * </ol>
 */
public final class ProgressDocument {
  private ProgressDocument() {}

  public static ObjectNode build(
      SyncState state, ProgressSource source, Optional<Instant> requestedAt, Instant now) {
    List<ShardProgress> shards = source.shards();
    long pending = source.pendingDeadLetters();
    Optional<Instant> target = requestedAt.isPresent() ? requestedAt : latestKnown(source, shards);

    ObjectNode doc = Json.object();
    doc.put("state", state.name());
    Optional<Double> lag = maxLag(shards, requestedAt.orElse(now));
    if (lag.isPresent()) {
      doc.put("lagTimeSeconds", lag.get());
    } else {
      doc.putNull("lagTimeSeconds");
    }
    ObjectNode cut = Json.object();
    ArrayNode reasons = cut.putArray("blockedBy");
    if (target.isEmpty()) {
      reasons.add("no Spanner commit time known yet");
    }
    int caughtUp = 0;
    for (ShardProgress s : shards) {
      s.blocked()
          .forEach(
              b ->
                  reasons.add(
                      "shard " + s.shardId() + " partition " + b.partition() + " " + b.describe()));
      if (!s.reachable()) {
        reasons.add("shard " + s.shardId() + " unreachable");
      } else if (target.isPresent()
          && !s.caughtUpTo(target.get())
          && state != SyncState.COMPLETED) {
        reasons.add(
            "shard "
                + s.shardId()
                + " applied through "
                + s.appliedThrough().map(Instant::toString).orElse("nothing")
                + ", before "
                + target.get());
      } else if (target.isPresent()) {
        caughtUp++;
      }
      for (var w : s.waiting()) {
        reasons.add(
            "shard "
                + s.shardId()
                + " partition "
                + w.partition()
                + " waits for sequence "
                + w.missingSequence()
                + " of epoch "
                + w.epoch()
                + " since "
                + w.since());
      }
    }
    if (shards.isEmpty()) {
      reasons.add("no shards");
    }
    if (pending > 0) {
      reasons.add(pending + " dead letter(s) pending");
    }
    doc.put("canCutBack", reasons.isEmpty());
    cut.put("targetCommitTimestamp", target.map(Instant::toString).orElse(null));
    cut.put("targetFrom", requestedAt.isPresent() ? "requested" : "latestKnown");
    cut.put("shardsCaughtUp", caughtUp);
    cut.put("shards", shards.size());
    cut.put("pendingDeadLetters", pending);
    doc.set("cutBack", cut);
    doc.set("directionMapping", source.directionMapping().toJson());
    // canWrite: applications may write MySQL (after a commit); see the cut-back runbook in
    // docs/operate.md
    ObjectNode cutBackState = source.cutBack().orElse(null);
    doc.put("canWrite", cutBackState != null && cutBackState.path("canWrite").asBoolean(false));
    doc.set("cutBackState", cutBackState);
    doc.put("allShardsStopped", StatusCommand.allStopped(shards));
    ObjectNode byShard = doc.putObject("shards");
    for (ShardProgress s : shards) {
      byShard.set(s.shardId(), s.toJson(requestedAt.orElse(now)));
    }
    doc.set("verification", source.lastVerification().orElse(null));
    doc.put("generatedAt", now.toString());
    return doc;
  }

  static Optional<Double> maxLag(List<ShardProgress> shards, Instant reference) {
    Optional<Double> max = Optional.empty();
    for (ShardProgress s : shards) {
      Optional<Double> l = s.lagSeconds(reference);
      if (l.isPresent() && (max.isEmpty() || l.get() > max.get())) {
        max = l;
      }
    }
    return max;
  }

  private static Optional<Instant> latestKnown(ProgressSource source, List<ShardProgress> shards) {
    Optional<Instant> best = source.latestSourceCommit();
    if (best.isPresent()) {
      return best;
    }
    for (ShardProgress s : shards) {
      for (Optional<Instant> t : List.of(s.appliedThrough(), s.lastAppliedCommit())) {
        if (t.isPresent() && (best.isEmpty() || t.get().isAfter(best.get()))) {
          best = t;
        }
      }
    }
    return best;
  }
}
