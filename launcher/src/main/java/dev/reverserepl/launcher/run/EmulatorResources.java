package dev.reverserepl.launcher.run;

import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import dev.reverserepl.launcher.provision.GcpClients;
import dev.reverserepl.launcher.provision.ProvisionResult;
import dev.reverserepl.launcher.provision.Provisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Creates what the emulator chain runs on: the Spanner instance and database (from a DDL file),
 * then, through the launcher's own {@link Provisioner}, the NEW_ROW change stream, the connector's
 * metadata database, the topic and one filtered subscription per shard — the same steps {@code rr
 * launch} takes against Google Cloud.
 */
public final class EmulatorResources {
  /**
   * Where the chain's resources live: {@link #LOCAL} for {@code rr local}; tests that share one
   * emulator give each run its own. The metadata database sits in {@code instance}; the topic and
   * the subscriptions in {@code project}.
   */
  public record Names(
      String project,
      String instance,
      String database,
      String metadataDatabase,
      String changeStream,
      String topic) {
    public String databasePath() {
      return project + "/" + instance + "/" + database;
    }
  }

  public static final Names LOCAL =
      new Names("rr-local", "rr-local", "rr-data", "rr-meta", "rr_stream", "rr-envelopes");

  private EmulatorResources() {}

  /** Creates {@link #LOCAL}'s instance and database from {@code spannerSchema}, then provisions. */
  static void create(
      GcpClients clients,
      Path spannerSchema,
      List<String> shardIds,
      Collection<String> sessionTables,
      Consumer<String> report)
      throws IOException {
    List<String> ddl = statements(Files.readString(spannerSchema));
    if (ddl.isEmpty()) {
      throw new IllegalArgumentException(spannerSchema + ": no DDL statements");
    }
    try {
      clients
          .spanner()
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(LOCAL.project(), LOCAL.instance()))
                  .setInstanceConfigId(InstanceConfigId.of(LOCAL.project(), "emulator-config"))
                  .setDisplayName(LOCAL.instance())
                  .setNodeCount(1)
                  .build())
          .get();
      clients
          .spanner()
          .getDatabaseAdminClient()
          .createDatabase(LOCAL.instance(), LOCAL.database(), ddl)
          .get();
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(
          "cannot create the Spanner database from "
              + spannerSchema
              + ": "
              + e.getCause().getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the Spanner database", e);
    }
    report.accept(
        "created Spanner database "
            + LOCAL.instance()
            + "/"
            + LOCAL.database()
            + " from "
            + spannerSchema);
    provision(clients, LOCAL, shardIds, sessionTables, report);
  }

  /**
   * The change stream, metadata database, topic and per-shard subscriptions of an existing
   * database. A stream captures only commits after it exists: provision before the writes to read.
   */
  public static List<ProvisionResult> provision(
      GcpClients clients,
      Names names,
      List<String> shardIds,
      Collection<String> sessionTables,
      Consumer<String> report) {
    return new Provisioner(clients, report)
        .provision(
            new Provisioner.Request(
                names.project(),
                names.instance(),
                names.database(),
                names.changeStream(),
                names.instance(),
                names.metadataDatabase(),
                names.topic(),
                shardIds,
                sessionTables));
  }

  /**
   * The statements of a DDL file: split at semicolons, {@code --} comments and blank statements
   * dropped.
   */
  static List<String> statements(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      int comment = line.indexOf("--");
      sb.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
    }
    List<String> out = new ArrayList<>();
    for (String s : sb.toString().split(";")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
