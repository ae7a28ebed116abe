package dev.reverserepl.writer;

/**
 * What a reprocess run did with the dead letters it read: applied; still failing (written to the
 * new directory); superseded by a later dead letter of the same row; not applicable (no shard, no
 * change, unknown shard, or a table no longer replicated — also written to the new directory unless
 * the table is simply not replicated).
 */
public record ReprocessReport(
    long read, long applied, long stillFailing, long superseded, long notApplicable) {}
