package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.sql.LiveSchema;
import dev.reverserepl.common.translate.RowChange;
import dev.reverserepl.common.translate.TranslationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows one transaction writes, from the fresh changes of its batch: translated changes become
 * rows (without columns MySQL must not be written, {@link LiveSchema#writable}); changes of tables
 * without a source table are skipped; changes that cannot be translated, or were dead-lettered by
 * an earlier attempt, are dead. Also the commit of the last change that ends its Spanner
 * transaction ({@link Long#MIN_VALUE} when none does).
 */
record BatchTranslation(
    List<RowChange> rows,
    List<Change> applied,
    List<Change> dead,
    long skipped,
    long lastCompleteCommitNanos) {

  /**
   * The rows of a batch none of whose changes is dead-lettered; null when a change is not
   * translated (skipped or failed), which the transaction itself must handle.
   */
  static BatchTranslation ofTranslated(List<PreparedChange> fresh, LiveSchema schema) {
    List<RowChange> rows = new ArrayList<>(fresh.size());
    List<Change> applied = new ArrayList<>(fresh.size());
    long complete = Long.MIN_VALUE;
    for (PreparedChange p : fresh) {
      if (!(p.translation() instanceof TranslationResult.Translated tr)) {
        return null;
      }
      rows.add(schema.writable(tr.rowChange()));
      applied.add(p.change().change());
      if (p.change().endOfTransaction()) {
        complete = p.change().change().position().commitNanos();
      }
    }
    return new BatchTranslation(rows, applied, List.of(), 0, complete);
  }

  static BatchTranslation of(
      List<PreparedChange> fresh,
      DeadLetterRecorder deadLetters,
      LiveSchema schema,
      int attemptNo) {
    List<RowChange> rows = new ArrayList<>(fresh.size());
    List<Change> applied = new ArrayList<>(fresh.size());
    List<Change> dead = new ArrayList<>();
    long skipped = 0;
    long complete = Long.MIN_VALUE;
    for (PreparedChange p : fresh) {
      Change change = p.change().change();
      TranslationResult t = p.translation();
      if (t instanceof TranslationResult.Translated tr) {
        if (deadLetters.isDead(p)) {
          dead.add(change);
        } else {
          rows.add(schema.writable(tr.rowChange()));
          applied.add(change);
        }
      } else if (t instanceof TranslationResult.Skipped) {
        skipped++;
      } else {
        deadLetters.deadLetter(
            p, "cannot translate: " + ((TranslationResult.Failed) t).reason(), attemptNo);
        dead.add(change);
      }
      if (p.change().endOfTransaction()) {
        complete = change.position().commitNanos();
      }
    }
    return new BatchTranslation(rows, applied, dead, skipped, complete);
  }
}
