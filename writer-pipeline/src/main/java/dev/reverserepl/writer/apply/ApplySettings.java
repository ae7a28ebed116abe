package dev.reverserepl.writer.apply;

import dev.reverserepl.common.progress.ProgressTable;
import java.io.Serializable;

/**
 * Batching bounds of the apply path. {@code batchSize}: changes per MySQL transaction (cut at a
 * Spanner transaction boundary when one lies in the second half of the batch). {@code
 * maxRowsPerStatement}: rows per multi-row statement, further capped so that no statement exceeds
 * {@link #MAX_PARAMETERS} placeholders (MySQL's limit is 65,535).
 */
public record ApplySettings(int batchSize, int maxRowsPerStatement, String progressTableName)
    implements Serializable {
  public static final int MAX_PARAMETERS = 60_000;
  public static final ApplySettings DEFAULT =
      new ApplySettings(1000, 500, ProgressTable.DEFAULT_NAME);

  public ApplySettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    if (maxRowsPerStatement < 1) {
      throw new IllegalArgumentException(
          "maxRowsPerStatement must be >= 1: " + maxRowsPerStatement);
    }
    new ProgressTable(progressTableName);
  }

  public ApplySettings withBatchSize(int v) {
    return new ApplySettings(v, maxRowsPerStatement, progressTableName);
  }

  public ApplySettings withMaxRowsPerStatement(int v) {
    return new ApplySettings(batchSize, v, progressTableName);
  }

  public ApplySettings withProgressTableName(String v) {
    return new ApplySettings(batchSize, maxRowsPerStatement, v);
  }
}
