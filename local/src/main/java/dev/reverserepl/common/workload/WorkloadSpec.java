package dev.reverserepl.common.workload;

import java.time.Instant;
import java.util.List;

/**
 * What {@link WorkloadGenerator} produces. Immutable; change a copy with the {@code withX} methods.
 * The defaults live here and nowhere else.
 *
 * @param changes number of row changes (mods) that replicate, not counting forward-migration ones
 * @param seed the random seed: the same spec always yields the same records
 * @param shardIds logical shard ids written into the shard-id column of sharded sessions
 * @param start commit timestamp of the first transaction
 * @param maxTransactionSize largest number of mods in one transaction
 * @param updateShare share of mods that update an existing row
 * @param deleteShare share of mods that delete an existing row (the rest insert)
 * @param forwardMigrationShare share of transactions tagged {@code txBy=...} that replication must
 *     filter out
 * @param skippedTableShare share of transactions that touch Spanner-only tables (not replicated)
 */
public record WorkloadSpec(
    long changes,
    long seed,
    List<String> shardIds,
    Instant start,
    int maxTransactionSize,
    double updateShare,
    double deleteShare,
    double forwardMigrationShare,
    double skippedTableShare) {

  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  public WorkloadSpec {
    if (changes < 0) {
      throw new IllegalArgumentException("changes must be >= 0: " + changes);
    }
    shardIds = List.copyOf(shardIds);
    if (shardIds.isEmpty()) {
      throw new IllegalArgumentException("at least one shard id is needed");
    }
    if (maxTransactionSize < 1) {
      throw new IllegalArgumentException("maxTransactionSize must be >= 1: " + maxTransactionSize);
    }
    if (updateShare < 0 || deleteShare < 0 || updateShare + deleteShare > 1) {
      throw new IllegalArgumentException(
          "update and delete shares must be >= 0 and add up to <= 1");
    }
    if (forwardMigrationShare < 0
        || forwardMigrationShare >= 1
        || skippedTableShare < 0
        || skippedTableShare >= 1) {
      throw new IllegalArgumentException(
          "forward-migration and skipped-table shares must be in [0, 1)");
    }
  }

  public static WorkloadSpec defaults() {
    return new WorkloadSpec(
        1000, 42, List.of("shard1", "shard2"), DEFAULT_START, 4, 0.5, 0.15, 0.05, 0.03);
  }

  public WorkloadSpec withChanges(long n) {
    return new WorkloadSpec(
        n,
        seed,
        shardIds,
        start,
        maxTransactionSize,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withSeed(long s) {
    return new WorkloadSpec(
        changes,
        s,
        shardIds,
        start,
        maxTransactionSize,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withShardIds(List<String> ids) {
    return new WorkloadSpec(
        changes,
        seed,
        ids,
        start,
        maxTransactionSize,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withStart(Instant t) {
    return new WorkloadSpec(
        changes,
        seed,
        shardIds,
        t,
        maxTransactionSize,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withMaxTransactionSize(int n) {
    return new WorkloadSpec(
        changes,
        seed,
        shardIds,
        start,
        n,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withMix(double update, double delete) {
    return new WorkloadSpec(
        changes,
        seed,
        shardIds,
        start,
        maxTransactionSize,
        update,
        delete,
        forwardMigrationShare,
        skippedTableShare);
  }

  public WorkloadSpec withForwardMigrationShare(double share) {
    return new WorkloadSpec(
        changes,
        seed,
        shardIds,
        start,
        maxTransactionSize,
        updateShare,
        deleteShare,
        share,
        skippedTableShare);
  }

  public WorkloadSpec withSkippedTableShare(double share) {
    return new WorkloadSpec(
        changes,
        seed,
        shardIds,
        start,
        maxTransactionSize,
        updateShare,
        deleteShare,
        forwardMigrationShare,
        share);
  }
}
