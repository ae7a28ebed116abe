package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import java.io.Serializable;

/**
 * What reaches a sequencer key: a change, or a heartbeat tick ({@code change == null}) that makes
 * an idle key publish a progress marker once the watermark passes the tick's time.
 */
public record SequencerInput(Change change) implements Serializable {
  private static final SequencerInput TICK = new SequencerInput(null);

  public static SequencerInput of(Change change) {
    return new SequencerInput(java.util.Objects.requireNonNull(change, "change"));
  }

  public static SequencerInput tick() {
    return TICK;
  }

  public boolean isTick() {
    return change == null;
  }
}
