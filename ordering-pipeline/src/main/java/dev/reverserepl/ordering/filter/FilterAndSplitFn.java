package dev.reverserepl.ordering.filter;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.source.FlowGate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link RecordFilter} and splits kept records into their changes; every mod is counted
 * once.
 */
public final class FilterAndSplitFn extends DoFn<DataChangeRecord, Change> {
  private static final Logger LOG = LoggerFactory.getLogger(FilterAndSplitFn.class);

  private final RecordFilter filter;
  private final String flowGateId;
  private final Counter recordsRead = counter(OrderingMetrics.RECORDS_READ);
  private final Counter changesIn = counter(OrderingMetrics.CHANGES_IN);
  private final Counter recordsFiltered = counter(OrderingMetrics.FILTERED_FORWARD_MIGRATION);
  private final Counter changesFiltered =
      counter(OrderingMetrics.CHANGES_FILTERED_FORWARD_MIGRATION);
  private final Counter changesSkipped = counter(OrderingMetrics.SKIPPED_TABLE_CHANGES);
  private final Counter changesUnknown = counter(OrderingMetrics.UNKNOWN_TABLE_CHANGES);
  private final Counter changesRead = counter(OrderingMetrics.CHANGES_READ);
  private transient Set<String> loggedTables;

  public FilterAndSplitFn(RecordFilter filter) {
    this(filter, null);
  }

  /** With the in-process flow gate that dropped changes are released to (rule S5), or null. */
  public FilterAndSplitFn(RecordFilter filter, String flowGateId) {
    this.filter = filter;
    this.flowGateId = flowGateId;
  }

  private static Counter counter(String name) {
    return Metrics.counter(OrderingMetrics.NAMESPACE, name);
  }

  @Setup
  public void setup() {
    loggedTables = new HashSet<>();
  }

  @ProcessElement
  public void process(@Element DataChangeRecord record, OutputReceiver<Change> out) {
    int mods = record.getMods() == null ? 0 : record.getMods().size();
    recordsRead.inc();
    changesIn.inc(mods);
    RecordFilter.Verdict verdict = filter.verdict(record);
    if (verdict != RecordFilter.Verdict.KEEP) {
      FlowGate.release(flowGateId, mods);
    }
    switch (verdict) {
      case FORWARD_MIGRATION:
        recordsFiltered.inc();
        changesFiltered.inc(mods);
        return;
      case NOT_IN_SOURCE:
        changesSkipped.inc(mods);
        if (loggedTables.add(record.getTableName())) {
          LOG.info(
              "Table {} is not in the source schema of the session file: its changes are skipped and counted",
              record.getTableName());
        }
        return;
      case UNKNOWN_TABLE:
        changesUnknown.inc(mods);
        // Per table as well, so that the run can name each unknown table (metric names carry no
        // labels).
        counter(
                OrderingMetrics.UNKNOWN_TABLE_CHANGES
                    + OrderingMetrics.SEPARATOR
                    + record.getTableName())
            .inc(mods);
        if (loggedTables.add(record.getTableName())) {
          LOG.warn(
              "Table {} is not in the session file at all (neither replicated nor Spanner-only): its changes"
                  + " are skipped and counted in {}",
              record.getTableName(),
              OrderingMetrics.UNKNOWN_TABLE_CHANGES);
        }
        return;
      default:
        List<Change> changes = ChangeRecordReader.toChanges(record);
        changesRead.inc(changes.size());
        for (Change c : changes) {
          out.output(c);
        }
    }
  }
}
