package dev.reverserepl.reverse.apply;

import com.google.cloud.Timestamp;
import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.util.Optional;

/**
 * One shard's row of the Spanner position table: the binlog position applied through, counts, the
 * source commit time of the last applied transaction and the Spanner commit timestamp of the last
 * reverse transaction.
 */
public record ReversePosition(
    String shardId,
    BinlogPosition applied,
    long appliedRows,
    long appliedTransactions,
    long deadLettered,
    Optional<Timestamp> sourceCommittedAt,
    Optional<Timestamp> spannerCommitTimestamp) {}
