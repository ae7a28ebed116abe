package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.launcher.operate.DirectionMapping;
import dev.reverserepl.launcher.operate.ProgressSource;
import dev.reverserepl.launcher.operate.ShardProgress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run's progress with the cut-back added: {@code canWrite}, the commit point and the reverse
 * readers' progress, and {@code directionMapping} swapped (MySQL shards → Spanner) while the
 * reverse direction runs.
 */
public final class CutBackProgress implements ProgressSource {
  private final ProgressSource run;
  private final CutBackCoordinator coordinator;

  public CutBackProgress(ProgressSource run, CutBackCoordinator coordinator) {
    this.run = run;
    this.coordinator = coordinator;
  }

  @Override
  public List<ShardProgress> shards() {
    return run.shards();
  }

  @Override
  public DirectionMapping directionMapping() {
    DirectionMapping m = run.directionMapping();
    if (!coordinator.reversed()) {
      return m;
    }
    // One source per shard in this direction; the destination is the Spanner database.
    return new DirectionMapping(String.join(",", m.destination()), List.of(m.source()));
  }

  @Override
  public Optional<Instant> latestSourceCommit() {
    return run.latestSourceCommit();
  }

  @Override
  public long pendingDeadLetters() {
    return run.pendingDeadLetters();
  }

  @Override
  public Optional<JsonNode> lastVerification() {
    return run.lastVerification();
  }

  @Override
  public Optional<ObjectNode> cutBack() {
    return Optional.of(coordinator.toJson());
  }
}
