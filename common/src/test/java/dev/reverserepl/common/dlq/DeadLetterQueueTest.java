package dev.reverserepl.common.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterQueueTest {
  @TempDir Path tmp;

  private static Change change() {
    return new Change(
        "Users",
        ModKind.UPDATE,
        "{\"id\":\"7\"}",
        "{\"name\":\"é\\\"x\"}",
        new ChangePosition(1_700_000_000_123_456_789L, "txn-1", 42, 3),
        "tag",
        5);
  }

  @Test
  void everyFieldOfTheChangeSurvivesTheRoundTrip() {
    DeadLetterQueue q = new DeadLetterQueue(tmp.resolve("dlq").toString());
    DeadLetter d =
        DeadLetter.apply(
            "shard1",
            change(),
            "Data too long for column 'name'",
            3,
            Instant.parse("2026-01-02T03:04:05.123Z"));
    q.write(d);
    q.writeAll(List.of(DeadLetter.undecodable(null, "{not json", "undecodable", Instant.EPOCH)));
    List<DeadLetter> back = DeadLetterQueue.readAll(tmp.resolve("dlq").toString());
    assertEquals(2, back.size());
    assertTrue(back.contains(d));
    DeadLetter raw = back.stream().filter(x -> x.change() == null).findFirst().orElseThrow();
    assertEquals("{not json", raw.payload());
    assertNull(raw.shardId());
  }

  @Test
  void anAbsentDirectoryIsEmpty() {
    assertTrue(DeadLetterQueue.readAll(tmp.resolve("none").toString()).isEmpty());
  }

  @Test
  void aMalformedLineNamesFileAndLine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(dir.resolve("x.jsonl"), "\n{\"stage\":\"apply\"}\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> DeadLetterQueue.readAll(dir.toString()));
    assertTrue(
        e.getMessage().contains("x.jsonl") && e.getMessage().contains("line 2"), e.getMessage());
  }
}
