package dev.reverserepl.reverse.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Rows the reverse direction could not write, one JSON line each in {@code
 * <dir>/reverse-<shardId>.jsonl}: {@code shardId}, {@code binlogPosition} (end of the source
 * transaction), {@code table}, {@code kind}, {@code row} (the binlog images as text), {@code
 * error}, {@code at}. A line is written before the Spanner transaction that moves the position past
 * it, so after a crash a line may appear twice (same position), never not at all. A null directory
 * means the rows are only counted and logged.
 */
public final class ReverseDeadLetters {
  private final Path dir;

  public ReverseDeadLetters(String directory) {
    this.dir = directory == null ? null : Path.of(directory);
  }

  public synchronized void write(
      String shardId, String position, String table, String kind, String row, String error) {
    ObjectNode o = Json.object();
    o.put("shardId", shardId);
    o.put("binlogPosition", position);
    o.put("table", table);
    o.put("kind", kind);
    o.put("row", row);
    o.put("error", error);
    o.put("at", Instant.now().toString());
    if (dir == null) {
      System.err.println("reverse dead letter (no --dlq directory): " + Json.write(o));
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("reverse-" + shardId + ".jsonl"),
          Json.write(o) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a reverse dead letter to " + dir, e);
    }
  }
}
