package dev.reverserepl.writer.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.apply.PasswordResolver;
import dev.reverserepl.writer.apply.ShardPools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterOptionsTest {
  @TempDir Path tmp;

  private WriterOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(WriterOptions.class);
  }

  @Test
  void badOptionsNameTheOption() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                WriterOptionsValidator.toConfig(
                    options("--bufferType=rabbit", "--deadLetterQueueDirectory=/x")));
    assertEquals("bufferType", e.field());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                WriterOptionsValidator.toConfig(
                    options(
                        "--bufferType=kafka", "--kafkaTopic=t", "--deadLetterQueueDirectory=/x")));
    assertEquals("kafkaBootstrapServers", e.field());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                WriterOptionsValidator.toConfig(
                    options(
                        "--pubSubProjectId=p",
                        "--deadLetterQueueDirectory=/x",
                        "--sourceDbTimezoneOffset=+25:00")));
    assertEquals("sourceDbTimezoneOffset", e.field());
  }

  @Test
  void theConnectionBudgetIsDividedByWorkers() throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    Path shards = tmp.resolve("shards.json");
    Files.writeString(
        shards,
        "[{\"logicalShardId\":\"shard1\",\"host\":\"127.0.0.1\",\"port\":"
            + mysql.port()
            + ",\"user\":\"root\",\"password\":\"\",\"dbName\":\"wo_shard1\"}]");
    WriterConfig c =
        WriterOptionsValidator.toConfig(
            options(
                "--pubSubProjectId=p",
                "--deadLetterQueueDirectory=" + tmp.resolve("dlq"),
                "--sourceShardsFilePath=" + shards,
                "--sessionFilePath=" + TestStreams.fixtureDir().resolve("session.json"),
                "--maxShardConnections=10",
                "--maxWorkers=4",
                "--sourceDbTimezoneOffset=-05:30"));
    assertEquals(3, c.connectionsPerShard());
    assertEquals("shard1", c.shards().get(0).logicalShardId());
    assertEquals(-5 * 3600 - 1800, c.sourceOffset().getTotalSeconds());
  }

  @Test
  void poolsAreSharedPerShardAndClosedWithTheirLastLease() {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    ShardPools pools = ShardPools.shared();
    int before = pools.openPools();
    var shard = mysql.shard("pool-test", "mysql");
    ShardPools.Lease a = pools.acquire(shard, 2, PasswordResolver.FROM_FILE);
    ShardPools.Lease b = pools.acquire(shard, 2, PasswordResolver.FROM_FILE);
    assertTrue(a.dataSource() == b.dataSource());
    assertEquals(before + 1, pools.openPools());
    a.close();
    a.close();
    assertEquals(before + 1, pools.openPools());
    b.close();
    assertEquals(before, pools.openPools());
  }
}
