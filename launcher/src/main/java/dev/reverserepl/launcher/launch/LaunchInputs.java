package dev.reverserepl.launcher.launch;

import java.util.List;

/**
 * What planning and provisioning need from the shards and session files: the logical shard ids (one
 * subscription each) and the Spanner tables the session maps (named when a change stream leaves
 * some out).
 */
public record LaunchInputs(List<String> shardIds, List<String> sessionTables) {
  public LaunchInputs {
    shardIds = List.copyOf(shardIds);
    sessionTables = List.copyOf(sessionTables);
  }
}
