package dev.reverserepl.launcher.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * How the verifier reads and re-checks. {@code chunkSize}: rows per MySQL page (and Spanner fetch);
 * {@code recheckDelay}: wait before differences are read again; {@code sourceOffset}: the writer's
 * source time zone, used to show timestamps the way it wrote them; {@code stateFile}: completed
 * table/shard pairs (null = not resumable); {@code maxDetails}: differences listed per table/shard;
 * {@code maxRecheck}: differences re-checked per table/shard; {@code shardIdFetcherClass}: the
 * custom shard-id fetcher the writer used, null for the shard-id column.
 */
public record VerifySettings(
    int chunkSize,
    Duration recheckDelay,
    ZoneOffset sourceOffset,
    Path stateFile,
    int maxDetails,
    int maxRecheck,
    String shardIdFetcherClass) {

  public static VerifySettings defaults() {
    return new VerifySettings(1000, Duration.ofSeconds(5), ZoneOffset.UTC, null, 100, 10_000, null);
  }

  public VerifySettings {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be >= 1: " + chunkSize);
    }
    if (recheckDelay.isNegative()) {
      throw new IllegalArgumentException("re-check delay must not be negative: " + recheckDelay);
    }
  }

  public VerifySettings withChunkSize(int v) {
    return new VerifySettings(
        v, recheckDelay, sourceOffset, stateFile, maxDetails, maxRecheck, shardIdFetcherClass);
  }

  public VerifySettings withRecheckDelay(Duration v) {
    return new VerifySettings(
        chunkSize, v, sourceOffset, stateFile, maxDetails, maxRecheck, shardIdFetcherClass);
  }

  public VerifySettings withSourceOffset(ZoneOffset v) {
    return new VerifySettings(
        chunkSize, recheckDelay, v, stateFile, maxDetails, maxRecheck, shardIdFetcherClass);
  }

  public VerifySettings withStateFile(Path v) {
    return new VerifySettings(
        chunkSize, recheckDelay, sourceOffset, v, maxDetails, maxRecheck, shardIdFetcherClass);
  }

  public VerifySettings withMaxDetails(int v) {
    return new VerifySettings(
        chunkSize, recheckDelay, sourceOffset, stateFile, v, maxRecheck, shardIdFetcherClass);
  }

  public VerifySettings withShardIdFetcherClass(String v) {
    return new VerifySettings(
        chunkSize, recheckDelay, sourceOffset, stateFile, maxDetails, maxRecheck, v);
  }
}
