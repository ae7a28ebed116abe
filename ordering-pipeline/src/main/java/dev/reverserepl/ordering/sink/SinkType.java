package dev.reverserepl.ordering.sink;

import dev.reverserepl.common.config.WireNamed;
import dev.reverserepl.common.config.WireNames;

/** The {@code sinkType} option: where the ordering job puts the ordered envelopes. */
public enum SinkType implements WireNamed {
  PUBSUB("pubsub"),
  KAFKA("kafka"),
  /** No sink: an in-process caller consumes the envelopes itself. */
  NONE("none");

  private final String wireName;

  SinkType(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** The pipeline option's value, spelled exactly; the error names the option and every value. */
  public static SinkType parse(String value) {
    return WireNames.parse(SinkType.class, "options", "sinkType", value);
  }
}
