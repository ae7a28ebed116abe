package dev.reverserepl.ordering.source;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Options.RpcPriority;
import dev.reverserepl.ordering.route.SpannerCoordinates;
import org.apache.beam.sdk.io.gcp.spanner.SpannerConfig;
import org.apache.beam.sdk.io.gcp.spanner.SpannerIO;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a Spanner change stream with {@code SpannerIO.readChangeStream()}: records come unordered but never late,
 * with event time = commit timestamp, which is what the sequencer relies on.
 */
public final class SpannerChangeStream extends PTransform<PBegin, PCollection<DataChangeRecord>> {
  private final SpannerCoordinates database;
  private final String spannerHost;
  private final String changeStreamName;
  private final String metadataInstance;
  private final String metadataDatabase;
  private final Timestamp start;
  private final Timestamp end;
  private final RpcPriority priority;

  /**
   * @param end null = unbounded
   */
  public SpannerChangeStream(
      SpannerCoordinates database,
      String spannerHost,
      String changeStreamName,
      String metadataInstance,
      String metadataDatabase,
      Timestamp start,
      Timestamp end,
      RpcPriority priority) {
    this.database = database;
    this.spannerHost = spannerHost;
    this.changeStreamName = changeStreamName;
    this.metadataInstance = metadataInstance;
    this.metadataDatabase = metadataDatabase;
    this.start = start;
    this.end = end;
    this.priority = priority;
  }

  public static SpannerConfig spannerConfig(SpannerCoordinates database, String spannerHost) {
    SpannerConfig config =
        SpannerConfig.create()
            .withProjectId(database.projectId())
            .withInstanceId(database.instanceId())
            .withDatabaseId(database.databaseId());
    if (database.emulatorHost() != null && !database.emulatorHost().isEmpty()) {
      return config.withEmulatorHost(StaticValueProvider.of(database.emulatorHost()));
    }
    return spannerHost == null || spannerHost.isEmpty() ? config : config.withHost(StaticValueProvider.of(spannerHost));
  }

  @Override
  public PCollection<DataChangeRecord> expand(PBegin begin) {
    SpannerIO.ReadChangeStream read =
        SpannerIO.readChangeStream()
            .withSpannerConfig(spannerConfig(database, spannerHost))
            .withChangeStreamName(changeStreamName)
            .withMetadataInstance(metadataInstance)
            .withMetadataDatabase(metadataDatabase)
            .withInclusiveStartAt(start)
            .withRpcPriority(priority);
    if (end != null) {
      read = read.withInclusiveEndAt(end);
    }
    return begin.apply("ReadChangeStream", read);
  }
}
