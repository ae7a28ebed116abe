package dev.reverserepl.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.pipeline.Submission;
import dev.reverserepl.common.pipeline.SubmitOnlyRunner;
import dev.reverserepl.common.session.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules M1, M2 (common {@code Submission}) as the writer template's {@code main} applies them. */
class WriterMainTest {
  @TempDir Path dir;

  @Test
  void ruleM1_mainSubmitsTheStreamingWriterAndReturnsWithoutWaiting() throws IOException {
    int before = SubmitOnlyRunner.SUBMITTED.get();
    int status = WriterPipeline.submit(args("--bufferType=pubsub"));
    // SubmitOnlyRunner's result fails the test if anything waits on it
    assertEquals(Submission.SUBMITTED, status);
    assertEquals(before + 1, SubmitOnlyRunner.SUBMITTED.get());
  }

  @Test
  void ruleM2_badOptionsExitWithStatus2AndSubmitNothing() throws IOException {
    int before = SubmitOnlyRunner.SUBMITTED.get();
    assertEquals(Submission.BAD_INPUT, WriterPipeline.submit(args("--bufferType=rabbit")));
    assertEquals(before, SubmitOnlyRunner.SUBMITTED.get());
  }

  private String[] args(String buffer) throws IOException {
    Path shards = dir.resolve("shards.json");
    Files.writeString(
        shards,
        "[{\"logicalShardId\":\"shard1\",\"host\":\"127.0.0.1\",\"port\":3306,\"user\":\"u\","
            + "\"password\":\"p\",\"dbName\":\"db1\"}]");
    return new String[] {
      "--runner=" + SubmitOnlyRunner.class.getName(),
      "--project=example-project",
      "--pubSubProjectId=example-project",
      buffer,
      // rewinding reads the shards' positions before submission (writer rule W1); no shard runs
      // here
      "--rewindBufferOnStart=false",
      "--deadLetterQueueDirectory=" + dir.resolve("dlq"),
      "--sourceShardsFilePath=" + shards,
      "--sessionFilePath=" + Fixtures.repo("ledger/session.json")
    };
  }
}
