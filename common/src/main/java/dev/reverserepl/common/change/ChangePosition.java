package dev.reverserepl.common.change;

import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a single mod stands in Spanner's commit order: commit timestamp, then server transaction
 * id, then record sequence (numeric), then the mod's index inside its record. Total and stable, so
 * both the ordering pipeline's sort and the writer's "already applied?" test use exactly this
 * comparison.
 */
public record ChangePosition(
    long commitNanos, String serverTransactionId, long recordSequence, int modIndex)
    implements Comparable<ChangePosition>, Serializable {

  private static final Comparator<ChangePosition> ORDER =
      Comparator.comparingLong(ChangePosition::commitNanos)
          .thenComparing(ChangePosition::serverTransactionId)
          .thenComparingLong(ChangePosition::recordSequence)
          .thenComparingInt(ChangePosition::modIndex);

  /** The position before every real change. */
  public static final ChangePosition START =
      new ChangePosition(Long.MIN_VALUE, "", Long.MIN_VALUE, -1);

  public ChangePosition {
    Objects.requireNonNull(serverTransactionId, "serverTransactionId");
    if (modIndex < -1) {
      throw new IllegalArgumentException("modIndex must be >= 0: " + modIndex);
    }
  }

  public static long toNanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  public Instant commitTimestamp() {
    return toInstant(commitNanos);
  }

  /** True when both mods belong to the same Spanner transaction. */
  public boolean sameTransaction(ChangePosition other) {
    return other != null
        && commitNanos == other.commitNanos
        && serverTransactionId.equals(other.serverTransactionId);
  }

  @Override
  public int compareTo(ChangePosition o) {
    return ORDER.compare(this, o);
  }
}
