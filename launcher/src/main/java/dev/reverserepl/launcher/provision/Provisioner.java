package dev.reverserepl.launcher.provision;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the provisioning steps in order — change stream, metadata database, topic, one subscription
 * per shard — and reports each as {@code created|exists|mismatch <resource>} (warnings as {@code
 * warning: ...} lines). The first mismatch stops provisioning with a {@link ProvisionException}:
 * nothing after it is created.
 */
public final class Provisioner {
  private final GcpClients clients;
  private final Consumer<String> report;

  public Provisioner(GcpClients clients, Consumer<String> report) {
    this.clients = clients;
    this.report = report;
  }

  /** What to provision; {@code topicId == null} skips Pub/Sub (Kafka sink). */
  public record Request(
      String projectId,
      String instanceId,
      String databaseId,
      String changeStreamName,
      String metadataInstance,
      String metadataDatabase,
      String topicId,
      List<String> shardIds,
      Collection<String> sessionTables) {
    public Request {
      shardIds = List.copyOf(shardIds);
      sessionTables = List.copyOf(sessionTables);
    }
  }

  public List<ProvisionResult> provision(Request r) {
    List<ProvisionResult> results = new ArrayList<>();
    results.add(
        emit(
            new ChangeStreamProvisioner(clients.spanner())
                .ensure(
                    r.projectId(),
                    r.instanceId(),
                    r.databaseId(),
                    r.changeStreamName(),
                    r.sessionTables())));
    results.add(
        emit(
            new MetadataDatabaseProvisioner(clients.spanner())
                .ensure(r.projectId(), r.metadataInstance(), r.metadataDatabase())));
    if (r.topicId() != null) {
      results.add(emit(new TopicProvisioner(clients.topics()).ensure(r.projectId(), r.topicId())));
      SubscriptionProvisioner subscriptions = new SubscriptionProvisioner(clients.subscriptions());
      for (String shardId : r.shardIds()) {
        results.add(emit(subscriptions.ensure(r.projectId(), r.topicId(), shardId)));
      }
    }
    return results;
  }

  private ProvisionResult emit(ProvisionResult result) {
    report.accept(result.line());
    result.warnings().forEach(w -> report.accept("warning: " + w));
    if (result.status() == ProvisionResult.Status.MISMATCH) {
      throw new ProvisionException(result.problem());
    }
    return result;
  }
}
