package dev.reverserepl.common.shards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The TLS fields of a shard in the shards file (rules 12..14 of "Shards file" in the module
 * README). Each is the MySQL Connector/J property of the same name and goes into the shard's
 * connection properties:
 *
 * <ul>
 *   <li>{@code sslMode}: {@code DISABLED | PREFERRED | REQUIRED | VERIFY_CA | VERIFY_IDENTITY};
 *       absent means the driver's own default ({@code PREFERRED}: TLS whenever the server offers
 *       it).
 *   <li>{@code trustCertificateKeyStoreUrl} / {@code trustCertificateKeyStoreType} / {@code
 *       trustCertificateKeyStorePassword}: the CA certificates the server's certificate is verified
 *       against ({@code VERIFY_CA}, {@code VERIFY_IDENTITY}; the JVM's trust store when absent).
 *   <li>{@code clientCertificateKeyStoreUrl} / {@code clientCertificateKeyStoreType} / {@code
 *       clientCertificateKeyStorePassword}: the client certificate and key, for servers that
 *       require one.
 * </ul>
 */
final class ShardTls {
  static final List<String> FIELDS =
      List.of(
          "sslMode",
          "trustCertificateKeyStoreUrl",
          "trustCertificateKeyStoreType",
          "trustCertificateKeyStorePassword",
          "clientCertificateKeyStoreUrl",
          "clientCertificateKeyStoreType",
          "clientCertificateKeyStorePassword");
  private static final Set<String> MODES =
      Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");
  private static final Set<String> STORE_TYPES = Set.of("JKS", "PKCS12");

  private ShardTls() {}

  /**
   * The TLS fields of {@code n} as connection properties, checked; fails naming file, shard and
   * field.
   */
  static Map<String, String> properties(
      String source, String where, JsonNode n, Map<String, String> connection) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : FIELDS) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new ConfigException(source, where, field, "must be a non-empty string");
      }
      if (connection.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(field))) {
        throw new ConfigException(
            source, where, field, "also given in connectionProperties; give it once");
      }
      out.put(field, v.asText().trim());
    }
    String mode = out.get("sslMode");
    if (mode != null) {
      String upper = mode.toUpperCase(Locale.ROOT);
      if (!MODES.contains(upper)) {
        throw new ConfigException(
            source,
            where,
            "sslMode",
            "must be one of " + MODES.stream().sorted().toList() + ", got '" + mode + "'");
      }
      out.put("sslMode", upper);
    }
    for (String prefix : List.of("trustCertificateKeyStore", "clientCertificateKeyStore")) {
      checkStore(source, where, out, prefix);
    }
    if ("DISABLED".equals(out.get("sslMode"))
        && out.keySet().stream().anyMatch(k -> k.endsWith("KeyStoreUrl"))) {
      throw new ConfigException(
          source, where, "sslMode", "DISABLED but certificate key stores are given");
    }
    return out;
  }

  private static void checkStore(
      String source, String where, Map<String, String> p, String prefix) {
    String url = p.get(prefix + "Url");
    String type = p.get(prefix + "Type");
    if (url == null && (type != null || p.containsKey(prefix + "Password"))) {
      throw new ConfigException(
          source,
          where,
          prefix + "Url",
          "missing (the type or password of a key store is" + " given without the store)");
    }
    if (url != null && !url.matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) {
      throw new ConfigException(
          source, where, prefix + "Url", "must be a URL such as file:/path/store.p12");
    }
    if (type != null && !STORE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
      throw new ConfigException(
          source, where, prefix + "Type", "must be JKS or PKCS12, got '" + type + "'");
    }
  }
}
