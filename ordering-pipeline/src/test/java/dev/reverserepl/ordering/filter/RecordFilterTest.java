package dev.reverserepl.ordering.filter;

import static dev.reverserepl.ordering.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.session.SessionMapping;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.junit.jupiter.api.Test;

/** Rule F2 of the module README on a session with replicated tables and one Spanner-only table. */
class RecordFilterTest {
  static final long T0 = 1_714_564_800_000_000L;

  @Test
  void ruleF2_unknownTableIsToldApartFromASpannerOnlyTable() throws URISyntaxException {
    Path file =
        Path.of(
            RecordFilterTest.class
                .getResource("/filter/session-with-spanner-only-table.json")
                .toURI());
    SessionMapping session = SessionMapping.load(file.toString());
    RecordFilter filter = new RecordFilter(session, FiltrationMode.FORWARD_MIGRATION);
    assertEquals(RecordFilter.Verdict.KEEP, filter.verdict(change("customers", "")));
    assertEquals(RecordFilter.Verdict.NOT_IN_SOURCE, filter.verdict(change("audit_events", "")));
    assertEquals(RecordFilter.Verdict.UNKNOWN_TABLE, filter.verdict(change("no_such_table", "")));
    // Forward-migration traffic is dropped first, whatever its table.
    assertEquals(
        RecordFilter.Verdict.FORWARD_MIGRATION,
        filter.verdict(change("no_such_table", "txBy=forward")));
  }

  private static org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord change(
      String table, String tag) {
    return record(T0, "tx", 0, table, ModType.INSERT, tag, "{\"id\":\"1\"}", "{}");
  }
}
