package dev.reverserepl.common.shards;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.changes.InputFiles;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the source shards file: a JSON array of shards, or {@code {"shardConfigs": [...]}}. Rules
 * 1..11 of "Shards file" in the module README. Errors name the file, the shard ({@code shard[1]
 * 'shard2'}) and the field, never a password.
 */
public final class ShardsFile {
  /**
   * The launcher's rule: a letter, then letters, digits and {@code -._~%+}; 3..255 characters (a
   * subscription).
   */
  private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z][A-Za-z0-9\\-._~%+]{2,254}");

  private ShardsFile() {}

  /** Reads a shards file from a local path or any Beam file system URI (gs://...). */
  public static List<Shard> load(String path) {
    return parse(InputFiles.readString(path), path);
  }

  public static List<Shard> parse(String json, String sourceName) {
    String source = sourceName == null ? "<shards>" : sourceName;
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? "" : "line " + l.getLineNr() + " column " + l.getColumnNr();
      // The parser's message may quote the text around the error, which can be a password: leave it
      // out.
      throw new ConfigException(source, where, "", "invalid JSON");
    }
    JsonNode array = root;
    if (root != null && root.isObject()) {
      array = root.get("shardConfigs");
      if (array == null) {
        throw new ConfigException(
            source, "", "shardConfigs", "missing (expected an array or {\"shardConfigs\": [...]})");
      }
    }
    if (array == null || !array.isArray()) {
      throw new ConfigException(
          source, "", "", "expected a JSON array of shards or {\"shardConfigs\": [...]}");
    }
    if (array.isEmpty()) {
      throw new ConfigException(source, "", "", "no shards");
    }
    List<Shard> shards = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      Shard s = shard(source, i, array.get(i));
      Integer prev = seen.putIfAbsent(s.logicalShardId(), i);
      if (prev != null) {
        throw new ConfigException(
            source,
            where(i, s.logicalShardId()),
            "logicalShardId",
            "duplicate of shard[" + prev + "]");
      }
      shards.add(s);
    }
    return List.copyOf(shards);
  }

  private static String where(int i, String id) {
    return id == null ? "shard[" + i + "]" : "shard[" + i + "] '" + id + "'";
  }

  private static Shard shard(String source, int i, JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new ConfigException(source, where(i, null), "", "must be a JSON object");
    }
    String id = text(n, "logicalShardId");
    if (id == null || id.isEmpty()) {
      throw new ConfigException(source, where(i, null), "logicalShardId", "missing");
    }
    String where = where(i, id);
    if (!SHARD_ID.matcher(id).matches() || id.toLowerCase(Locale.ROOT).startsWith("goog")) {
      throw new ConfigException(
          source,
          where,
          "logicalShardId",
          "must start with a letter, be 3..255 characters of letters, digits, - . _ ~ % +, and not start with"
              + " 'goog'");
    }
    String host = required(source, where, n, "host");
    String user = required(source, where, n, "user");
    String dbName = required(source, where, n, "dbName");
    int port = port(source, where, n);
    String password = text(n, "password");
    String secret = text(n, "secretManagerUri");
    if (secret != null && secret.isEmpty()) {
      secret = null;
    }
    if (password == null && secret == null) {
      throw new ConfigException(
          source, where, "password", "missing (give password or secretManagerUri)");
    }
    Map<String, String> properties = properties(source, where, n);
    properties.putAll(ShardTls.properties(source, where, n, properties));
    return new Shard(id, host, port, user, password, secret, dbName, properties);
  }

  private static int port(String source, String where, JsonNode n) {
    JsonNode p = n.get("port");
    if (p == null || p.isNull() || (p.isTextual() && p.asText().isBlank())) {
      throw new ConfigException(source, where, "port", "missing");
    }
    long v;
    if (p.isIntegralNumber()) {
      v = p.asLong();
    } else if (p.isTextual()) {
      try {
        v = Long.parseLong(p.asText().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(source, where, "port", "not a number");
      }
    } else {
      throw new ConfigException(source, where, "port", "must be a number or a string of digits");
    }
    if (v < 1 || v > 65535) {
      throw new ConfigException(source, where, "port", "must be 1..65535, got " + v);
    }
    return (int) v;
  }

  private static Map<String, String> properties(String source, String where, JsonNode n) {
    JsonNode p = n.get("connectionProperties");
    Map<String, String> out = new LinkedHashMap<>();
    if (p == null || p.isNull()) {
      return out;
    }
    if (p.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new ConfigException(
              source,
              where,
              "connectionProperties." + e.getKey(),
              "must be a string, number or boolean");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    }
    if (p.isTextual()) {
      for (String part : p.asText().split("[;&]")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(
              source,
              where,
              "connectionProperties",
              "expected key=value pairs separated by ';' (an entry has no '=')");
        }
        out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
      return out;
    }
    throw new ConfigException(
        source, where, "connectionProperties", "must be an object or a 'k=v;k2=v2' string");
  }

  private static String required(String source, String where, JsonNode n, String field) {
    String v = text(n, field);
    if (v == null || v.isBlank()) {
      throw new ConfigException(source, where, field, "missing");
    }
    return v;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
