package dev.reverserepl.writer.apply;

/** What re-applying one dead-lettered change did. */
public sealed interface ReapplyOutcome {
  record Applied(int attempts) implements ReapplyOutcome {}

  /**
   * A later change to the same row was applied after the change was dead-lettered: re-applying
   * would regress it.
   */
  record Superseded() implements ReapplyOutcome {}

  /** The change's table is not replicated to the source (any more). */
  record NotReplicated(String reason) implements ReapplyOutcome {}

  record Failed(String error, int attempts) implements ReapplyOutcome {}
}
