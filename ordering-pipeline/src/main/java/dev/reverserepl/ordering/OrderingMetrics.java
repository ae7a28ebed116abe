package dev.reverserepl.ordering;

/**
 * Beam metric names of the ordering pipeline (namespace {@value #NAMESPACE}); the module README
 * lists them.
 */
public final class OrderingMetrics {
  public static final String NAMESPACE = "rr.ordering";

  /** Data change records read from the source. */
  public static final String RECORDS_READ = "records_read";

  /**
   * Records dropped because the forward migration wrote them (transaction tag {@code txBy=...}).
   */
  public static final String FILTERED_FORWARD_MIGRATION = "records_filtered_forward_migration";

  /** Mods inside records dropped as forward-migration traffic. */
  public static final String CHANGES_FILTERED_FORWARD_MIGRATION =
      "changes_filtered_forward_migration";

  /**
   * Mods read from the source, before any filter (every mod is then filtered, skipped, routed or
   * dead-lettered).
   */
  public static final String CHANGES_IN = "changes_in";

  /** Mods of tables that the session file lists as Spanner-only (no source table). */
  public static final String SKIPPED_TABLE_CHANGES = "changes_skipped_table";

  /**
   * Mods of tables the session file does not know at all; also per table as {@code
   * changes_unknown_table/<table>}.
   */
  public static final String UNKNOWN_TABLE_CHANGES = "changes_unknown_table";

  /**
   * Between a metric and its label-like part (a shard id, a table): neither ever contains a '/'.
   */
  public static final String SEPARATOR = "/";

  /** Mods that reached routing (after both filters). */
  public static final String CHANGES_READ = "changes_read";

  /** Mods assigned a shard. */
  public static final String ROUTED = "changes_routed";

  /** Deletes whose shard came from a stale read of Spanner. */
  public static final String RESOLVED_BY_STALE_READ = "deletes_resolved_by_stale_read";

  /** Deletes whose shard came from an earlier change of the same key in the stream. */
  public static final String RESOLVED_BY_HISTORY = "deletes_resolved_by_history";

  /** Mods sent to the dead-letter output (unresolvable shard). */
  public static final String DEAD_LETTERED = "changes_dead_lettered";

  /** Mods given a sequence number. */
  public static final String SEQUENCED = "changes_sequenced";

  /** Envelopes with changes. */
  public static final String ENVELOPES = "envelopes";

  /** Progress markers (envelopes without changes). */
  public static final String MARKERS = "markers";

  /**
   * Changes in slices that arrived behind an already numbered slice (a source broke its
   * no-late-data contract).
   */
  public static final String LATE_CHANGES = "changes_late";

  /**
   * Slice counts the numbering stage read back from its waiting bag (grows linearly with the slices
   * numbered).
   */
  public static final String SLICE_STATE_READS = "sequencer_slice_state_reads";

  /**
   * Distribution of slice sizes: its max is the most changes the sequencer held in memory at once
   * for one key.
   */
  /**
   * Stale reads that failed for good (after retries, or permanently); the change is dead-lettered
   * with the reason.
   */
  public static final String STALE_READ_FAILURES = "stale_read_failures";

  /**
   * Gauge: the newest commit time (epoch ms) routing has seen, the cut-back target of an in-process
   * run.
   */
  public static final String NEWEST_COMMIT_READ = "newest_commit_read_millis";

  public static final String SLICE_SIZE = "sequencer_slice_size";

  private OrderingMetrics() {}
}
