package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the progress document is made of; {@link ShardsProgressSource} reads it from the shards. */
public interface ProgressSource {
  List<ShardProgress> shards();

  DirectionMapping directionMapping();

  /**
   * The newest Spanner commit time the run knows of (e.g. the last change read); empty when
   * unknown.
   */
  Optional<Instant> latestSourceCommit();

  /** Dead letters not yet reprocessed; a cut-back must wait for them. */
  long pendingDeadLetters();

  /** The last verifier result as its JSON summary; empty when none ran. */
  Optional<JsonNode> lastVerification();

  /**
   * The cut-back part ({@code canWrite}, commit point, reverse progress); empty when no cut-back is
   * set up.
   */
  default Optional<com.fasterxml.jackson.databind.node.ObjectNode> cutBack() {
    return Optional.empty();
  }
}
