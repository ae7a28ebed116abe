package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: the repository's fixtures, shards on the shared MariaDB, shards files. */
public final class OperateFixtures {
  private OperateFixtures() {}

  /** A file of the repository's own fixtures ({@code fixtures/} at the repository root). */
  public static Path fixture(String relative) {
    return dev.reverserepl.launcher.testing.Fixtures.repo(relative);
  }

  /** A fresh database on the shared server per shard id ({@code prefix_shardId}). */
  public static List<Shard> freshShards(String prefix, String... shardIds) {
    EmbeddedMySql db = EmbeddedMySql.shared();
    List<Shard> out = new ArrayList<>();
    for (String id : shardIds) {
      String name = prefix + "_" + id;
      db.recreateDatabase(name);
      out.add(db.shard(id, name));
    }
    return out;
  }

  /** A shard on a port nobody listens on. */
  public static Shard unreachableShard(String id) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      int port = s.getLocalPort();
      s.close();
      return Shard.of(id, "127.0.0.1", port, "root", "", "nothing");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path writeShardsFile(Path dir, List<Shard> shards) throws IOException {
    List<Map<String, Object>> arr = new ArrayList<>();
    for (Shard s : shards) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("logicalShardId", s.logicalShardId());
      m.put("host", s.host());
      m.put("port", String.valueOf(s.port()));
      m.put("user", s.user());
      m.put("password", s.password() == null ? "" : s.password());
      m.put("dbName", s.dbName());
      arr.add(m);
    }
    Path f = dir.resolve("shards.json");
    Files.writeString(f, Json.write(arr));
    return f;
  }

  /** The outcome of one {@code rr} invocation with stdout captured. */
  public record Run(int code, String out) {}

  public static Run run(String... args) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int code = dev.reverserepl.launcher.Rr.commandLine().execute(args);
      return new Run(code, buf.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }
}
