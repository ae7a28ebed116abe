package dev.reverserepl.launcher.provision;

/** The names resources are reported under, shared by the provisioners and the dry-run plan. */
public final class Resources {
  private Resources() {}

  public static String changeStream(String streamName, String databasePath) {
    return "change stream " + streamName + " on " + databasePath;
  }

  public static String metadataDatabase(String databasePath) {
    return "metadata database " + databasePath;
  }

  public static String topic(String topicPath) {
    return "topic " + topicPath;
  }

  public static String subscription(String subscriptionPath) {
    return "subscription " + subscriptionPath;
  }

  /** The filter that lets a shard's subscription receive only that shard's messages. */
  public static String shardFilter(String logicalShardId) {
    return "attributes.shardId = \"" + logicalShardId + "\"";
  }

  public static String databasePath(String project, String instance, String database) {
    return "projects/" + project + "/instances/" + instance + "/databases/" + database;
  }
}
