package dev.reverserepl.launcher.run;

import dev.reverserepl.common.config.WireNamed;
import dev.reverserepl.common.config.WireNames;

/**
 * The {@code --buffer} of {@code rr replay} and {@code rr local}: what lies between the pipelines.
 */
public enum ReplayBuffer implements WireNamed {
  /**
   * No external buffer: both pipelines run side by side in this process, the ordering pipeline
   * handing its envelopes to the writer pipeline through a bounded in-memory buffer.
   */
  NONE("none"),
  /** The ordering pipeline publishes to a Kafka topic, then the writer pipeline reads it. */
  KAFKA("kafka");

  private final String wireName;

  ReplayBuffer(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** The flag's value, spelled exactly; the error names the flag and every value. */
  public static ReplayBuffer parse(String value) {
    return WireNames.find(ReplayBuffer.class, value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--buffer must be "
                        + WireNames.alternatives(ReplayBuffer.class)
                        + ", got '"
                        + value
                        + "'"));
  }
}
