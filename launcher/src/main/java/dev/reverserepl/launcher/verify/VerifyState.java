package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resumable part of a verification: the results of completed table/shard pairs, rewritten
 * (atomically) after each pair. A rerun with the same state file skips those pairs. The file
 * belongs to one expectation source; reusing it for another is refused.
 */
final class VerifyState {
  private final Path file;
  private final String source;
  private final Map<String, TableResult> done = new LinkedHashMap<>();

  private VerifyState(Path file, String source) {
    this.file = file;
    this.source = source;
  }

  static VerifyState open(Path file, String source) {
    VerifyState s = new VerifyState(file, source);
    if (file == null || !Files.exists(file)) {
      return s;
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), "", "", "not a verifier state file: " + e.getMessage());
    }
    if (!source.equals(root.path("source").asText())) {
      throw new ConfigException(
          file.toString(),
          "",
          "source",
          "belongs to '"
              + root.path("source").asText()
              + "', not '"
              + source
              + "'; delete it to start over");
    }
    for (JsonNode t : root.path("completed")) {
      TableResult r = TableResult.fromJson(t);
      s.done.put(key(r.spannerTable(), r.shardId()), r);
    }
    return s;
  }

  static String key(String table, String shard) {
    return table + "@" + shard;
  }

  TableResult completed(String table, String shard) {
    return done.get(key(table, shard));
  }

  void complete(TableResult r) {
    done.put(key(r.spannerTable(), r.shardId()), r);
    if (file == null) {
      return;
    }
    ObjectNode root = Json.object();
    root.put("source", source);
    ArrayNode arr = root.putArray("completed");
    done.values().forEach(t -> arr.add(t.toJson()));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Json.write(root));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write verifier state " + file, e);
    }
  }
}
