package dev.reverserepl.ordering;

import com.google.cloud.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.Mod;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ModType;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.ValueCaptureType;

/** Builds Beam data change records for tests. */
public final class Records {
  private Records() {}

  /**
   * @param mods pairs of (keysJson, newValuesJson)
   */
  public static DataChangeRecord record(
      long commitMicros,
      String txn,
      int recordSeq,
      String table,
      ModType type,
      String tag,
      String... mods) {
    List<Mod> list = new ArrayList<>();
    for (int i = 0; i < mods.length; i += 2) {
      list.add(new Mod(mods[i], null, mods[i + 1]));
    }
    return new DataChangeRecord(
        "token",
        Timestamp.ofTimeMicroseconds(commitMicros),
        txn,
        true,
        Integer.toString(recordSeq),
        table,
        List.of(),
        list,
        type,
        ValueCaptureType.NEW_ROW,
        1,
        1,
        tag,
        false,
        null);
  }
}
