package dev.reverserepl.ordering;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.session.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/** Input files for whole-pipeline tests. */
public final class PipelineFilesAccess {
  private PipelineFilesAccess() {}

  public static final String SESSION = Fixtures.repo("parcels-sharded/session.json").toString();

  public static Path shardsFile(Path dir, String... ids) throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < ids.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"logicalShardId\":\"")
          .append(ids[i])
          .append(
              "\",\"host\":\"127.0.0.1\",\"port\":\"3306\",\"user\":\"root\",\"password\":\"pw\",\"dbName\":\"db_")
          .append(ids[i])
          .append("\"}");
    }
    Path f = dir.resolve("shards.json");
    Files.writeString(f, sb.append("]").toString());
    return f;
  }

  public static Path changeFile(Path file, List<DataChangeRecord> records) throws IOException {
    try (ChangeRecordWriter w = ChangeRecordWriter.create(file)) {
      records.forEach(w::write);
    }
    return file;
  }
}
