package dev.reverserepl.reverse.point;

import dev.reverserepl.reverse.binlog.BinlogPosition;
import java.time.Instant;
import java.util.Optional;

/**
 * One shard's cut-back record: {@code spannerCommit} is the newest Spanner commit the shard had
 * applied when MySQL became writable; {@code binlog} the shard's binlog position (and GTID) at that
 * moment, where the reverse direction starts; {@code flipStart} the change-stream start timestamp
 * after a flip back to Spanner → MySQL.
 */
public record CommitPoint(
    String shardId,
    CutBackPhase phase,
    Instant spannerCommit,
    BinlogPosition binlog,
    Instant committedAt,
    Optional<Instant> flipStart) {}
