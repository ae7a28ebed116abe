package dev.reverserepl.reverse;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * How the reverse direction runs. Immutable: each {@code withX} returns a copy.
 *
 * @param sourceOffset zone offset of DATETIME values on the shards (the forward direction's {@code
 *     --source-tz})
 * @param deadLetterDirectory where rows that cannot be written go; null: logged and counted only
 * @param positionTable Spanner table of applied binlog positions
 * @param maxBatchTransactions source transactions per Spanner transaction at most
 * @param maxBatchMutations Spanner mutations per Spanner transaction at most (a larger source
 *     transaction is applied alone)
 * @param queueCapacity source transactions read ahead of the Spanner writes per shard (bounds
 *     memory)
 * @param phasePollInterval how often a reader re-reads the shard's cut-back phase (a flip back
 *     stops it)
 * @param serverIdBase binlog client server ids are this plus a per-shard number; must not collide
 *     with replicas
 * @param serializeSpannerTransactions one Spanner read-write transaction at a time in this process
 *     (the emulator)
 */
public record ReverseSettings(
    ZoneOffset sourceOffset,
    String deadLetterDirectory,
    String positionTable,
    int maxBatchTransactions,
    int maxBatchMutations,
    int queueCapacity,
    Duration phasePollInterval,
    long serverIdBase,
    boolean serializeSpannerTransactions)
    implements Serializable {

  public ReverseSettings {
    if (maxBatchTransactions < 1 || maxBatchMutations < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("batch sizes and queue capacity must be >= 1");
    }
  }

  public static ReverseSettings defaults() {
    return new ReverseSettings(
        ZoneOffset.UTC,
        null,
        "rr_reverse_position",
        200,
        2000,
        1000,
        Duration.ofSeconds(2),
        5_400_000L,
        false);
  }

  public ReverseSettings withSourceOffset(ZoneOffset v) {
    return new ReverseSettings(
        v,
        deadLetterDirectory,
        positionTable,
        maxBatchTransactions,
        maxBatchMutations,
        queueCapacity,
        phasePollInterval,
        serverIdBase,
        serializeSpannerTransactions);
  }

  public ReverseSettings withDeadLetterDirectory(String v) {
    return new ReverseSettings(
        sourceOffset,
        v,
        positionTable,
        maxBatchTransactions,
        maxBatchMutations,
        queueCapacity,
        phasePollInterval,
        serverIdBase,
        serializeSpannerTransactions);
  }

  public ReverseSettings withPositionTable(String v) {
    return new ReverseSettings(
        sourceOffset,
        deadLetterDirectory,
        v,
        maxBatchTransactions,
        maxBatchMutations,
        queueCapacity,
        phasePollInterval,
        serverIdBase,
        serializeSpannerTransactions);
  }

  public ReverseSettings withMaxBatchTransactions(int v) {
    return new ReverseSettings(
        sourceOffset,
        deadLetterDirectory,
        positionTable,
        v,
        maxBatchMutations,
        queueCapacity,
        phasePollInterval,
        serverIdBase,
        serializeSpannerTransactions);
  }

  public ReverseSettings withPhasePollInterval(Duration v) {
    return new ReverseSettings(
        sourceOffset,
        deadLetterDirectory,
        positionTable,
        maxBatchTransactions,
        maxBatchMutations,
        queueCapacity,
        v,
        serverIdBase,
        serializeSpannerTransactions);
  }

  public ReverseSettings withSerializeSpannerTransactions(boolean v) {
    return new ReverseSettings(
        sourceOffset,
        deadLetterDirectory,
        positionTable,
        maxBatchTransactions,
        maxBatchMutations,
        queueCapacity,
        phasePollInterval,
        serverIdBase,
        v);
  }
}
