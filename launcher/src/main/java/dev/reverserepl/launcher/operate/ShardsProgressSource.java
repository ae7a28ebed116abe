package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ProgressSource} reading positions from the shards' progress tables and pending dead
 * letters from the dead-letter directory (every entry directly in it counts as pending;
 * reprocessing moves entries out). The run reports the newest Spanner commit it has seen with
 * {@link #observeSourceCommit} and verifier results with {@link #recordVerification}.
 */
public final class ShardsProgressSource implements ProgressSource {
  private final ProgressReader reader;
  private final DirectionMapping mapping;
  private final String deadLetterDir;
  private final AtomicReference<Instant> latestCommit = new AtomicReference<>();
  private final AtomicReference<JsonNode> verification = new AtomicReference<>();

  /** {@code deadLetterDir} may be null (no dead-letter queue configured: nothing pending). */
  public ShardsProgressSource(
      ProgressReader reader, DirectionMapping mapping, String deadLetterDir) {
    this.reader = reader;
    this.mapping = mapping;
    this.deadLetterDir = deadLetterDir;
  }

  /** Raises the newest known Spanner commit time (never lowers it). */
  public void observeSourceCommit(Instant commit) {
    latestCommit.accumulateAndGet(commit, (a, b) -> a == null || b.isAfter(a) ? b : a);
  }

  public void recordVerification(JsonNode summary) {
    verification.set(summary);
  }

  @Override
  public List<ShardProgress> shards() {
    return reader.read();
  }

  @Override
  public DirectionMapping directionMapping() {
    return mapping;
  }

  @Override
  public Optional<Instant> latestSourceCommit() {
    return Optional.ofNullable(latestCommit.get());
  }

  @Override
  public long pendingDeadLetters() {
    return deadLetterDir == null ? 0 : DeadLetterQueue.readAll(deadLetterDir).size();
  }

  @Override
  public Optional<JsonNode> lastVerification() {
    return Optional.ofNullable(verification.get());
  }
}
