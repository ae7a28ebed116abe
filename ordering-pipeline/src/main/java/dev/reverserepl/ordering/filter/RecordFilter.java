package dev.reverserepl.ordering.filter;

import dev.reverserepl.common.session.SessionMapping;
import java.io.Serializable;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * Decides what replication does with a data change record, before it is split into changes.
 *
 * <ol>
 *   <li>With {@link FiltrationMode#FORWARD_MIGRATION}, a record whose transaction tag starts with
 *       {@code txBy=} was written by the forward migration and is dropped ({@link
 *       Verdict#FORWARD_MIGRATION}).
 *   <li>A record of a table the session lists as Spanner-only is skipped ({@link
 *       Verdict#NOT_IN_SOURCE}); one of a table the session does not know at all is skipped too,
 *       but told apart ({@link Verdict#UNKNOWN_TABLE}): it is a typo or a table added to Spanner
 *       after the session was made.
 *   <li>Everything else is kept.
 * </ol>
 */
public final class RecordFilter implements Serializable {
  public static final String FORWARD_MIGRATION_TAG_PREFIX = "txBy=";

  public enum Verdict {
    KEEP,
    FORWARD_MIGRATION,
    NOT_IN_SOURCE,
    UNKNOWN_TABLE
  }

  private final SessionMapping session;
  private final boolean dropForwardMigration;

  public RecordFilter(SessionMapping session, FiltrationMode filtrationMode) {
    this.session = session;
    this.dropForwardMigration = filtrationMode == FiltrationMode.FORWARD_MIGRATION;
  }

  public Verdict verdict(DataChangeRecord record) {
    String tag = record.getTransactionTag();
    if (dropForwardMigration && tag != null && tag.startsWith(FORWARD_MIGRATION_TAG_PREFIX)) {
      return Verdict.FORWARD_MIGRATION;
    }
    if (session.table(record.getTableName()).isEmpty()) {
      return session.isSkippedTable(record.getTableName())
          ? Verdict.NOT_IN_SOURCE
          : Verdict.UNKNOWN_TABLE;
    }
    return Verdict.KEEP;
  }
}
