package dev.reverserepl.common.shards;

import java.io.Serializable;
import java.util.Map;

/** Placeholder with the agreed components; replaced by the real record from main. */
public record Shard(
    String logicalShardId,
    String host,
    int port,
    String user,
    String password,
    String secretManagerUri,
    String dbName,
    Map<String, String> connectionProperties)
    implements Serializable {
  public String jdbcUrl() {
    return "jdbc:mysql://" + host + ":" + port + "/" + dbName;
  }

  @Override
  public String toString() {
    return "Shard[" + logicalShardId + "@" + host + ":" + port + "/" + dbName + "]";
  }
}
