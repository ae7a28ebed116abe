package dev.reverserepl.ordering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.pipeline.Submission;
import dev.reverserepl.common.pipeline.SubmitOnlyRunner;
import dev.reverserepl.common.session.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules M1, M2 (common {@code Submission}) as the ordering template's {@code main} applies them.
 */
class OrderingMainTest {
  @TempDir Path dir;

  @Test
  void ruleM1_mainSubmitsTheJobAndReturnsWithoutWaiting() throws IOException {
    int before = SubmitOnlyRunner.SUBMITTED.get();
    // change-record files rather than the change stream: SpannerIO asks the database for its
    // dialect while the
    // pipeline is built, and no Spanner is reachable here
    Path records = Files.writeString(dir.resolve("records.jsonl"), "");
    int status =
        OrderingPipeline.submit(
            new String[] {
              "--runner=" + SubmitOnlyRunner.class.getName(),
              "--project=example-project",
              "--changeRecordsPath=" + records,
              "--sessionFilePath=" + Fixtures.repo("label-sharded/session.json"),
              "--sourceShardsFilePath=" + shards(),
              "--sinkType=pubsub",
              "--pubSubDataTopicId=reverse-replication"
            });
    // SubmitOnlyRunner's result fails the test if anything waits on it
    assertEquals(Submission.SUBMITTED, status);
    assertEquals(before + 1, SubmitOnlyRunner.SUBMITTED.get());
  }

  @Test
  void ruleM2_badOptionsExitWithStatus2AndSubmitNothing() throws IOException {
    int before = SubmitOnlyRunner.SUBMITTED.get();
    int status =
        OrderingPipeline.submit(
            new String[] {
              "--runner=" + SubmitOnlyRunner.class.getName(),
              "--sessionFilePath=" + Fixtures.repo("label-sharded/session.json"),
              "--sourceShardsFilePath=" + shards(),
              "--changeRecordsPath=" + dir,
              "--sinkType=carrier-pigeon"
            });
    assertEquals(Submission.BAD_INPUT, status);
    assertEquals(before, SubmitOnlyRunner.SUBMITTED.get());
  }

  private Path shards() throws IOException {
    Path file = dir.resolve("shards.json");
    Files.writeString(
        file,
        "[{\"logicalShardId\":\"shard1\",\"host\":\"127.0.0.1\",\"port\":3306,\"user\":\"u\","
            + "\"password\":\"p\",\"dbName\":\"db1\"}]");
    return file;
  }
}
