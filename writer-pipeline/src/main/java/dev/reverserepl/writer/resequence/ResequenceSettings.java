package dev.reverserepl.writer.resequence;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the resequencing buffer of one {@code (shard, partition)} stream. {@code
 * maxBufferedChanges}: changes held while waiting for a gap (envelopes beyond it are dropped from
 * state, never marked applied — rule 12). {@code maxReleaseChanges}: changes released and applied
 * per element or timer firing; a longer backlog continues on a timer (rule 11). {@code gapAlert}:
 * how long a stream may wait for a missing sequence before it is reported (rule 13).
 */
public record ResequenceSettings(long maxBufferedChanges, int maxReleaseChanges, Duration gapAlert)
    implements Serializable {
  public static final ResequenceSettings DEFAULT =
      new ResequenceSettings(200_000, 10_000, Duration.ofSeconds(120));

  public ResequenceSettings {
    Objects.requireNonNull(gapAlert, "gapAlert");
    if (maxBufferedChanges < 1) {
      throw new IllegalArgumentException("maxBufferedChanges must be >= 1: " + maxBufferedChanges);
    }
    if (maxReleaseChanges < 1) {
      throw new IllegalArgumentException("maxReleaseChanges must be >= 1: " + maxReleaseChanges);
    }
    if (gapAlert.isNegative() || gapAlert.isZero()) {
      throw new IllegalArgumentException("gapAlert must be positive: " + gapAlert);
    }
  }

  public ResequenceSettings withMaxBufferedChanges(long v) {
    return new ResequenceSettings(v, maxReleaseChanges, gapAlert);
  }

  public ResequenceSettings withMaxReleaseChanges(int v) {
    return new ResequenceSettings(maxBufferedChanges, v, gapAlert);
  }

  public ResequenceSettings withGapAlert(Duration v) {
    return new ResequenceSettings(maxBufferedChanges, maxReleaseChanges, v);
  }
}
