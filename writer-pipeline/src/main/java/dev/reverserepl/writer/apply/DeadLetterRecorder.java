package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.dlq.DeadLetter;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dead letters of one {@link ShardApplier#apply} call: each failing change is written to the
 * queue once (durably, before any transaction records the position past it), and remembered so that
 * later attempts of its batch leave it out. Not thread-safe: one per call.
 */
final class DeadLetterRecorder {
  private final String shardId;
  private final DeadLetterSink sink;
  private final Set<ChangePosition> written = new HashSet<>();

  DeadLetterRecorder(String shardId, DeadLetterSink sink) {
    this.shardId = shardId;
    this.sink = sink;
  }

  boolean isDead(PreparedChange p) {
    return written.contains(p.change().change().position());
  }

  void deadLetter(PreparedChange p, String error, int attempts) {
    if (written.add(p.change().change().position())) {
      sink.write(
          List.of(DeadLetter.apply(shardId, p.change().change(), error, attempts, Instant.now())));
    }
  }
}
