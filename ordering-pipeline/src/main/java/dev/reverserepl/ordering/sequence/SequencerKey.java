package dev.reverserepl.ordering.sequence;

/** The sequencer's key {@code shardId#partition}: one gapless sequence per key and epoch. */
public record SequencerKey(String shardId, int partition) {
  public SequencerKey {
    if (shardId == null || shardId.isEmpty()) {
      throw new IllegalArgumentException("shardId must not be empty");
    }
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0: " + partition);
    }
  }

  /** Shard ids may contain '#'; the partition is always after the last one. */
  public static SequencerKey parse(String key) {
    int i = key.lastIndexOf('#');
    if (i <= 0) {
      throw new IllegalArgumentException("not a sequencer key: '" + key + "'");
    }
    return new SequencerKey(key.substring(0, i), Integer.parseInt(key.substring(i + 1)));
  }

  public static String format(String shardId, int partition) {
    return shardId + "#" + partition;
  }

  @Override
  public String toString() {
    return format(shardId, partition);
  }
}
