package dev.reverserepl.launcher.provision;

import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Ensures the change stream the ordering pipeline reads exists with {@code
 * value_capture_type='NEW_ROW'}, inspecting {@code INFORMATION_SCHEMA.CHANGE_STREAMS}, {@code
 * CHANGE_STREAM_OPTIONS} and {@code CHANGE_STREAM_TABLES}.
 */
public final class ChangeStreamProvisioner {
  /** Spanner's default when a stream is created without the option. */
  static final String DEFAULT_CAPTURE_TYPE = "OLD_AND_NEW_VALUES";

  static final String REQUIRED_CAPTURE_TYPE = "NEW_ROW";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

  private final Spanner spanner;

  public ChangeStreamProvisioner(Spanner spanner) {
    this.spanner = spanner;
  }

  /** The DDL run when the stream is missing. */
  public static String createDdl(String streamName) {
    return "CREATE CHANGE STREAM "
        + streamName
        + " FOR ALL OPTIONS (value_capture_type = 'NEW_ROW', retention_period = '7d')";
  }

  /**
   * @param sessionTables Spanner table names the session file maps; named in the warning when a
   *     stream that is not {@code FOR ALL} leaves some of them out
   */
  public ProvisionResult ensure(
      String project,
      String instance,
      String database,
      String streamName,
      Collection<String> sessionTables) {
    if (!IDENTIFIER.matcher(streamName).matches()) {
      throw new ProvisionException(
          "changeStreamName '" + streamName + "' is not a valid Spanner identifier");
    }
    String dbPath = Resources.databasePath(project, instance, database);
    String resource = Resources.changeStream(streamName, dbPath);
    DatabaseAdminClient admin = spanner.getDatabaseAdminClient();
    requireDatabase(admin, instance, database, dbPath);
    DatabaseClient client = spanner.getDatabaseClient(DatabaseId.of(project, instance, database));
    Optional<StreamInfo> existing = inspect(client, streamName);
    if (existing.isEmpty()) {
      try {
        admin.updateDatabaseDdl(instance, database, List.of(createDdl(streamName)), null).get();
        return ProvisionResult.created(resource);
      } catch (ExecutionException e) {
        // another launch may have created it in between: judge what is there now
        existing = inspect(client, streamName);
        if (existing.isEmpty()) {
          throw new ProvisionException(
              "cannot create " + resource + ": " + e.getCause().getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProvisionException("interrupted while creating " + resource, e);
      }
    }
    return judge(resource, existing.get(), sessionTables);
  }

  static ProvisionResult judge(
      String resource, StreamInfo stream, Collection<String> sessionTables) {
    if (!stream.captureType().equalsIgnoreCase(REQUIRED_CAPTURE_TYPE)) {
      return ProvisionResult.mismatch(
          resource,
          resource
              + " has value_capture_type='"
              + stream.captureType()
              + "' but the ordering pipeline needs value_capture_type='NEW_ROW'; drop and recreate the stream with "
              + "NEW_ROW, or pass another -changeStreamName");
    }
    if (stream.forAll()) {
      return ProvisionResult.exists(resource, List.of());
    }
    List<String> missing = new ArrayList<>();
    List<String> partial = new ArrayList<>();
    for (String table : sessionTables) {
      Boolean allColumns = stream.tables().get(table.toLowerCase(Locale.ROOT));
      if (allColumns == null) {
        missing.add(table);
      } else if (!allColumns) {
        partial.add(table);
      }
    }
    List<String> warnings = new ArrayList<>();
    if (!missing.isEmpty()) {
      warnings.add(
          resource
              + " is not FOR ALL: session tables "
              + String.join(", ", missing)
              + " are not in it and will not replicate");
    }
    if (!partial.isEmpty()) {
      warnings.add(
          resource
              + " watches only some columns of "
              + String.join(", ", partial)
              + ": changes to the other columns will not replicate");
    }
    if (warnings.isEmpty()) {
      warnings.add(resource + " is not FOR ALL: tables added to Spanner later will not replicate");
    }
    return ProvisionResult.exists(resource, warnings);
  }

  private static void requireDatabase(
      DatabaseAdminClient admin, String instance, String database, String path) {
    try {
      admin.getDatabase(instance, database);
    } catch (SpannerException e) {
      if (e.getErrorCode() == ErrorCode.NOT_FOUND) {
        throw new ProvisionException(
            "Spanner database "
                + path
                + " does not exist: create the target database (or fix -instanceId / -dbName) before launching",
            e);
      }
      throw e;
    }
  }

  static Optional<StreamInfo> inspect(DatabaseClient client, String streamName) {
    Boolean forAll = null;
    try (ResultSet rs =
        client
            .singleUse()
            .executeQuery(
                Statement.newBuilder(
                        "SELECT cs.`ALL` FROM INFORMATION_SCHEMA.CHANGE_STREAMS AS cs WHERE cs.CHANGE_STREAM_NAME = @name")
                    .bind("name")
                    .to(streamName)
                    .build())) {
      if (rs.next()) {
        forAll = rs.isNull(0) ? Boolean.FALSE : rs.getBoolean(0);
      }
    }
    if (forAll == null) {
      return Optional.empty();
    }
    String captureType = DEFAULT_CAPTURE_TYPE;
    try (ResultSet rs =
        client
            .singleUse()
            .executeQuery(
                Statement.newBuilder(
                        "SELECT OPTION_VALUE FROM INFORMATION_SCHEMA.CHANGE_STREAM_OPTIONS "
                            + "WHERE CHANGE_STREAM_NAME = @name AND LOWER(OPTION_NAME) = 'value_capture_type'")
                    .bind("name")
                    .to(streamName)
                    .build())) {
      if (rs.next() && !rs.isNull(0)) {
        captureType = rs.getString(0).replace("'", "").replace("\"", "").trim();
      }
    }
    Map<String, Boolean> tables = new TreeMap<>();
    try (ResultSet rs =
        client
            .singleUse()
            .executeQuery(
                Statement.newBuilder(
                        "SELECT TABLE_NAME, ALL_COLUMNS FROM INFORMATION_SCHEMA.CHANGE_STREAM_TABLES "
                            + "WHERE CHANGE_STREAM_NAME = @name")
                    .bind("name")
                    .to(streamName)
                    .build())) {
      while (rs.next()) {
        tables.put(rs.getString(0).toLowerCase(Locale.ROOT), rs.isNull(1) || rs.getBoolean(1));
      }
    }
    return Optional.of(new StreamInfo(forAll, captureType, tables));
  }

  /**
   * What INFORMATION_SCHEMA says about a stream; table names lower-cased, value = watches all
   * columns.
   */
  record StreamInfo(boolean forAll, String captureType, Map<String, Boolean> tables) {}
}
