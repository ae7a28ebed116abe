package dev.reverserepl.writer.options;

import dev.reverserepl.common.config.WireNamed;
import dev.reverserepl.common.config.WireNames;

/** The buffer between the ordering and writer jobs: the writer's {@code bufferType} option. */
public enum BufferType implements WireNamed {
  /** A topic with one filtered subscription per shard. */
  PUBSUB("pubsub"),
  /** A Kafka topic; shards map to partitions. */
  KAFKA("kafka");

  private final String wireName;

  BufferType(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** The pipeline option's value, spelled exactly; the error names the option and every value. */
  public static BufferType parse(String value) {
    return WireNames.parse(BufferType.class, WriterOptionsValidator.SOURCE, "bufferType", value);
  }
}
