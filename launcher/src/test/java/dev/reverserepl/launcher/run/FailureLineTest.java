package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.shards.Shard;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failed replay or local run ends with one line that names the shard's host:port and the cause.
 */
class FailureLineTest {
  @Test
  void rule4_pipelineFailureIsOneLineNamingShardHostPortAndCause() {
    List<Shard> shards =
        List.of(
            Shard.of("shard1", "10.0.0.7", 3306, "u", "p", "db1"),
            Shard.of("shard10", "10.0.0.8", 3307, "u", "p", "db10"));
    Exception driver =
        new SQLException(
            "Communications link failure\n\nThe last packet sent successfully to the"
                + " server was 0 milliseconds ago.",
            new ConnectException("Connection refused"));
    // Runners wrap the cause with its toString() as their message.
    RuntimeException wrapped =
        new RuntimeException(
            new IllegalStateException("cannot read the applied position of shard shard1", driver));
    assertEquals(
        "cannot read the applied position of shard shard1: Communications link failure: Connection refused"
            + " [shard shard1 at 10.0.0.7:3306]",
        ReplayRunner.failureLine(wrapped, shards));
  }
}
