package dev.reverserepl.common.shards;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One source MySQL shard from the shards file. The password is never part of {@link #toString()};
 * use {@code secretManagerUri} in production so the file holds no password at all.
 */
public record Shard(
    String logicalShardId,
    String host,
    int port,
    String user,
    String password,
    String secretManagerUri,
    String dbName,
    Map<String, String> connectionProperties)
    implements Serializable {

  /**
   * Connection properties every URL gets unless the shards file sets them. {@code
   * characterEncoding=UTF-8} makes Connector/J talk utf8mb4 so 4-byte characters survive. TLS is
   * the driver's own secure default ({@code sslMode=PREFERRED}) unless the shard says otherwise;
   * only a shard with TLS switched off ({@code sslMode=DISABLED} or {@code useSSL=false}) also gets
   * {@code allowPublicKeyRetrieval=true}, which caching_sha2_password accounts need to log in
   * without TLS. {@code rewriteBatchedStatements} is not set: the writer sends multi-row statements
   * itself.
   */
  public static final Map<String, String> DEFAULT_PROPERTIES = Map.of("characterEncoding", "UTF-8");

  public Shard {
    Objects.requireNonNull(logicalShardId, "logicalShardId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(dbName, "dbName");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    connectionProperties =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(connectionProperties == null ? Map.of() : connectionProperties));
  }

  /** A shard with a password and no extra connection properties. */
  public static Shard of(
      String logicalShardId, String host, int port, String user, String password, String dbName) {
    return new Shard(logicalShardId, host, port, user, password, null, dbName, Map.of());
  }

  /** A copy with a resolved password (e.g. fetched from Secret Manager). */
  public Shard withPassword(String newPassword) {
    return new Shard(
        logicalShardId,
        host,
        port,
        user,
        newPassword,
        secretManagerUri,
        dbName,
        connectionProperties);
  }

  /** A copy with one more connection property. */
  public Shard withConnectionProperty(String key, String value) {
    Map<String, String> p = new LinkedHashMap<>(connectionProperties);
    p.put(key, value);
    return new Shard(logicalShardId, host, port, user, password, secretManagerUri, dbName, p);
  }

  /**
   * {@code jdbc:mysql://host:port/db?k=v&...}: the defaults of {@link #DEFAULT_PROPERTIES}, then
   * the shard's own connection properties (which win), keys and values URL-encoded. Holds no user
   * or password.
   */
  public String jdbcUrl() {
    Map<String, String> props = new LinkedHashMap<>();
    props.putAll(new java.util.TreeMap<>(DEFAULT_PROPERTIES));
    if ("DISABLED".equalsIgnoreCase(property("sslMode"))
        || "false".equalsIgnoreCase(property("useSSL"))) {
      props.put("allowPublicKeyRetrieval", "true");
    }
    for (Map.Entry<String, String> e : connectionProperties.entrySet()) {
      props.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
      props.put(e.getKey(), e.getValue());
    }
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    StringBuilder sb =
        new StringBuilder("jdbc:mysql://").append(h).append(':').append(port).append('/');
    sb.append(URLEncoder.encode(dbName, StandardCharsets.UTF_8).replace("+", "%20"));
    char sep = '?';
    for (Map.Entry<String, String> e : props.entrySet()) {
      sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  /** A connection property by case-insensitive name, or null. */
  public String property(String key) {
    return connectionProperties.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(key))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "Shard{logicalShardId="
        + logicalShardId
        + ", host="
        + host
        + ", port="
        + port
        + ", user="
        + user
        + ", password="
        + (password == null ? "<none>" : "***")
        + ", secretManagerUri="
        + secretManagerUri
        + ", dbName="
        + dbName
        + ", connectionProperties="
        + connectionProperties.keySet()
        + "}";
  }
}
