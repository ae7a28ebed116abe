package dev.reverserepl.ordering.resume;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.progress.ShardPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the change-stream read of a new ordering job begins, decided from what the shards have
 * applied. Rules (README "Resume", tests {@code StartPointTest.ruleRn_...}):
 *
 * <ol>
 *   <li>R1 No {@code startTimestamp} and no shard holds a position: the first launch, start now.
 *   <li>R2 No {@code startTimestamp} and the shards hold positions: start at the earliest
 *       complete-through time over every shard and partition (inclusive: what the shards already
 *       hold is skipped by the writer), as a new epoch. A stream without a position while others
 *       have one is refused: where its changes start is unknown.
 *   <li>R3 An explicit {@code startTimestamp} later than some stream's position would skip changes
 *       and is refused, unless {@code allowStartAfterShardPositions} is set.
 *   <li>R4 A start older than the change stream's retention is an error: Spanner no longer has
 *       those changes.
 * </ol>
 *
 * @param start the inclusive start of the read
 * @param fromShards true when derived from the shards' positions (R2)
 * @param explanation one line for the log
 */
public record StartPoint(Instant start, boolean fromShards, String explanation) {

  public static StartPoint decide(
      Optional<Instant> explicit,
      ShardPositions.Snapshot positions,
      boolean allowStartAfterShardPositions,
      Duration retention,
      Instant now) {
    StartPoint p = choose(explicit, positions, allowStartAfterShardPositions, now);
    Instant oldest = now.minus(retention);
    if (p.start.isBefore(oldest)) {
      throw new ConfigException(
          "options",
          "",
          "startTimestamp",
          "the resume point "
              + p.start
              + " ("
              + p.explanation
              + ") is older than the change stream's retention of "
              + retention
              + " (nothing before "
              + oldest
              + " can be read): the changes in between are lost to this"
              + " stream; re-migrate the shards (or restore them) and start again with an explicit startTimestamp");
    }
    return p;
  }

  private static StartPoint choose(
      Optional<Instant> explicit, ShardPositions.Snapshot positions, boolean allow, Instant now) {
    Optional<Instant> earliest = positions.earliestKnown();
    if (explicit.isPresent()) {
      if (earliest.isPresent() && explicit.get().isAfter(earliest.get()) && !allow) {
        ShardPositions.Stream behind =
            positions.streams().stream()
                .filter(
                    s ->
                        s.completeThrough().isPresent()
                            && s.completeThrough().get().isBefore(explicit.get()))
                .findFirst()
                .orElseThrow();
        throw new ConfigException(
            "options",
            "",
            "startTimestamp",
            explicit.get()
                + " is later than shard "
                + behind.shardId()
                + " partition "
                + behind.partition()
                + " has applied (complete through "
                + behind.completeThrough().get()
                + "): the changes in between"
                + " would never reach it. Leave startTimestamp empty to resume from the shards ("
                + earliest.get()
                + "), or set allowStartAfterShardPositions=true to skip them knowingly");
      }
      return new StartPoint(explicit.get(), false, "startTimestamp given");
    }
    if (earliest.isEmpty()) {
      return new StartPoint(now, false, "first launch: no shard holds a position");
    }
    if (!positions.unknown().isEmpty()) {
      throw new ConfigException(
          "options",
          "",
          "startTimestamp",
          "streams "
              + positions.unknown().stream()
                  .map(ShardPositions.Stream::name)
                  .collect(Collectors.joining(", "))
              + " have no applied position while others do (earliest "
              + earliest.get()
              + "), so where their"
              + " changes start is unknown; give startTimestamp explicitly (no later than the first launch)");
    }
    return new StartPoint(
        earliest.get(),
        true,
        "resumed from the shards: earliest complete-through position over "
            + positions.streams().size()
            + " stream(s)");
  }
}
