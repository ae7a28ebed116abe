package dev.reverserepl.writer;

import java.io.Serializable;

/**
 * One apply step of one {@code (shard, partition)}: how many changes it applied, skipped
 * (duplicates, stale epoch, not replicated), dead-lettered and retried, and the commit time of the
 * last change it handled.
 */
public record ApplySummary(
    String shardId,
    int partition,
    long epoch,
    long lastSequence,
    long applied,
    long duplicates,
    long notReplicated,
    long deadLettered,
    long retries,
    long lastCommitNanos)
    implements Serializable {}
