package dev.reverserepl.launcher.run;

import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import dev.reverserepl.launcher.provision.GcpClients;
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
final class EmulatorResources {
  static final String PROJECT = "rr-local";
  static final String INSTANCE = "rr-local";
  static final String DATABASE = "rr-data";
  static final String METADATA_DATABASE = "rr-meta";
  static final String CHANGE_STREAM = "rr_stream";
  static final String TOPIC = "rr-envelopes";

  private EmulatorResources() {}

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
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setDisplayName(INSTANCE)
                  .setNodeCount(1)
                  .build())
          .get();
      clients.spanner().getDatabaseAdminClient().createDatabase(INSTANCE, DATABASE, ddl).get();
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
        "created Spanner database " + INSTANCE + "/" + DATABASE + " from " + spannerSchema);
    new Provisioner(clients, report)
        .provision(
            new Provisioner.Request(
                PROJECT,
                INSTANCE,
                DATABASE,
                CHANGE_STREAM,
                INSTANCE,
                METADATA_DATABASE,
                TOPIC,
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
