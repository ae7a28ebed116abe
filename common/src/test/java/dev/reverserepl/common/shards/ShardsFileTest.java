package dev.reverserepl.common.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules 1..11 of "Shards file" in the module README. */
class ShardsFileTest {
  private static final String SECRET = "s3cr3t-Pa55";

  private static String shard(String id, String port) {
    return "{\"logicalShardId\":\""
        + id
        + "\",\"host\":\"10.0.0.1\",\"user\":\"root\",\"password\":\""
        + SECRET
        + "\",\"port\":"
        + port
        + ",\"dbName\":\"db_"
        + id
        + "\"}";
  }

  private static ConfigException error(String json) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ShardsFile.parse(json, "shards.json"));
    assertEquals("shards.json", e.source());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    return e;
  }

  @Test
  void rule1_arrayAndShardConfigsWrapperAreBothAccepted() {
    String array = "[" + shard("shard1", "\"3306\"") + "," + shard("shard2", "3307") + "]";
    List<Shard> a = ShardsFile.parse(array, "a.json");
    List<Shard> b = ShardsFile.parse("{\"shardConfigs\":" + array + "}", "b.json");
    assertEquals(a, b);
    assertEquals(List.of("shard1", "shard2"), a.stream().map(Shard::logicalShardId).toList());
    assertEquals("db_shard2", a.get(1).dbName());
    assertEquals(SECRET, a.get(0).password());
    assertEquals("shardConfigs", error("{\"shards\":[]}").field());
    assertEquals("", error("\"x\"").field());
    assertTrue(error("[]").getMessage().contains("no shards"));
  }

  @Test
  void rule2_portIsAStringOrNumberInRange() {
    assertEquals(3306, ShardsFile.parse("[" + shard("abc", "\"3306\"") + "]", "s").get(0).port());
    assertEquals(1, ShardsFile.parse("[" + shard("abc", "1") + "]", "s").get(0).port());
    assertEquals(65535, ShardsFile.parse("[" + shard("abc", "\"65535\"") + "]", "s").get(0).port());
    for (String bad :
        List.of("0", "65536", "\"-1\"", "\"33o6\"", "\"\"", "null", "3306.5", "true")) {
      ConfigException e = error("[" + shard("abc", bad) + "]");
      assertEquals("port", e.field(), bad);
      assertEquals("shard[0] 'abc'", e.location(), bad);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"shard1", "abc", "A.b_c-d~e%f+g", "x12"})
  void rule3_validLogicalShardIds(String id) {
    assertEquals(id, ShardsFile.parse("[" + shard(id, "3306") + "]", "s").get(0).logicalShardId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ab",
        "1shard",
        "_shard",
        "shard 1",
        "shard/1",
        "googshard",
        "GOOGle1",
        "sh@rd",
        "ß123"
      })
  void rule3_invalidLogicalShardIdsAreRejected(String id) {
    ConfigException e = error("[" + shard("shard0", "3306") + "," + shard(id, "3306") + "]");
    assertEquals("logicalShardId", e.field());
    assertEquals("shard[1] '" + id + "'", e.location());
  }

  @Test
  void rule3_overlongLogicalShardIdIsRejected() {
    assertEquals("logicalShardId", error("[" + shard("s" + "x".repeat(255), "3306") + "]").field());
  }

  @Test
  void rule4_duplicateIdsAreRejected() {
    ConfigException e =
        error(
            "["
                + shard("shard1", "1")
                + ","
                + shard("shard2", "2")
                + ","
                + shard("shard1", "3")
                + "]");
    assertEquals("logicalShardId", e.field());
    assertEquals("shard[2] 'shard1'", e.location());
    assertTrue(e.getMessage().contains("duplicate of shard[0]"), e.getMessage());
  }

  @Test
  void rule5_missingFieldsAreNamed() {
    for (String field : List.of("host", "user", "dbName", "port")) {
      String json =
          "["
              + shard("shard1", "3306")
                  .replaceAll("\"" + field + "\":(\"[^\"]*\"|\\d+)", "\"other\":1")
              + "]";
      ConfigException e = error(json);
      assertEquals(field, e.field(), json);
      assertEquals("shard[0] 'shard1'", e.location());
    }
    ConfigException noId = error("[{\"host\":\"h\"}]");
    assertEquals("logicalShardId", noId.field());
    assertEquals("shard[0]", noId.location());
    ConfigException noPassword =
        error(
            "[{\"logicalShardId\":\"shard1\",\"host\":\"h\",\"user\":\"u\",\"port\":1,"
                + "\"dbName\":\"d\"}]");
    assertEquals("password", noPassword.field());
    assertEquals("shard[0]", error("[3]").location());
  }

  @Test
  void rule5_secretManagerUriReplacesPassword() {
    Shard s =
        ShardsFile.parse(
                "[{\"logicalShardId\":\"shard1\",\"host\":\"h\",\"user\":\"u\",\"port\":1,"
                    + "\"dbName\":\"d\",\"secretManagerUri\":\"projects/p/secrets/s/versions/latest\"}]",
                "s")
            .get(0);
    assertNull(s.password());
    assertEquals("projects/p/secrets/s/versions/latest", s.secretManagerUri());
    // An empty password is a real (if unwise) MySQL password, e.g. local root.
    assertEquals(
        "",
        ShardsFile.parse(
                "[{\"logicalShardId\":\"shard1\",\"host\":\"h\",\"user\":\"u\",\"port\":1,"
                    + "\"dbName\":\"d\",\"password\":\"\"}]",
                "s")
            .get(0)
            .password());
  }

  @Test
  void rule6_connectionPropertiesAsObjectOrString() {
    String base = shard("shard1", "3306");
    Shard obj =
        ShardsFile.parse(
                "["
                    + base.replace(
                        "}",
                        ",\"connectionProperties\":{\"useSSL\":\"true\","
                            + "\"connectTimeout\":5000}}")
                    + "]",
                "s")
            .get(0);
    assertEquals(Map.of("useSSL", "true", "connectTimeout", "5000"), obj.connectionProperties());
    Shard str =
        ShardsFile.parse(
                "["
                    + base.replace(
                        "}", ",\"connectionProperties\":\"useSSL=true; connectTimeout=5000;\"}")
                    + "]",
                "s")
            .get(0);
    assertEquals(obj.connectionProperties(), str.connectionProperties());
    ConfigException e =
        error("[" + base.replace("}", ",\"connectionProperties\":\"useSSL\"}") + "]");
    assertEquals("connectionProperties", e.field());
    assertEquals(
        "connectionProperties.x",
        error("[" + base.replace("}", ",\"connectionProperties\":{\"x\":{}}}") + "]").field());
    assertEquals(
        "connectionProperties",
        error("[" + base.replace("}", ",\"connectionProperties\":[1]}") + "]").field());
  }

  @Test
  void rule7_errorsNameFileShardIndexIdAndField() {
    ConfigException e = error("[" + shard("shard1", "3306") + "," + shard("shard2", "70000") + "]");
    assertEquals(
        "shards.json: shard[1] 'shard2': field 'port': must be 1..65535, got 70000",
        e.getMessage());
  }

  @Test
  void rule8_passwordNeverInToStringOrErrors() {
    Shard s = ShardsFile.parse("[" + shard("shard1", "3306") + "]", "s").get(0);
    assertFalse(s.toString().contains(SECRET), s.toString());
    assertTrue(s.toString().contains("password=***"));
    assertFalse(s.jdbcUrl().contains(SECRET));
    // Bad JSON right after a password: the parser's excerpt must not leak it.
    ConfigException bad = error("[{\"password\":\"" + SECRET + "\" \"x\"}]");
    assertTrue(bad.location().startsWith("line 1"), bad.location());
    assertFalse(String.valueOf(bad.getCause()).contains(SECRET));
    // A bad field next to the password.
    error(
        "[{\"logicalShardId\":\"shard1\",\"password\":\""
            + SECRET
            + "\",\"port\":\""
            + SECRET
            + "\"}]");
    ConfigException badPort = error("[" + shard("shard1", "\"" + SECRET + "\"") + "]");
    assertEquals("port", badPort.field());
  }

  @Test
  void rule9_jdbcUrlHasDefaultsAndEncodedProperties() {
    Shard s = Shard.of("shard1", "db.example", 3307, "u", "p", "my db");
    assertEquals("jdbc:mysql://db.example:3307/my%20db?characterEncoding=UTF-8", s.jdbcUrl());
    Shard ssl =
        s.withConnectionProperty("sslMode", "REQUIRED")
            .withConnectionProperty(
                "sessionVariables", "sql_mode='STRICT_ALL_TABLES',time_zone='+00:00'");
    assertEquals(
        "jdbc:mysql://db.example:3307/my%20db?characterEncoding=UTF-8"
            + "&sslMode=REQUIRED&sessionVariables=sql_mode%3D%27STRICT_ALL_TABLES%27%2Ctime_zone%3D%27%2B00%3A00%27",
        ssl.jdbcUrl());
    Shard plain = s.withConnectionProperty("sslMode", "DISABLED");
    assertEquals(
        "jdbc:mysql://db.example:3307/my%20db?characterEncoding=UTF-8&allowPublicKeyRetrieval=true"
            + "&sslMode=DISABLED",
        plain.jdbcUrl());
    Shard override = plain.withConnectionProperty("allowpublickeyretrieval", "false");
    assertTrue(override.jdbcUrl().contains("allowpublickeyretrieval=false"), override.jdbcUrl());
    assertFalse(override.jdbcUrl().contains("allowPublicKeyRetrieval=true"), override.jdbcUrl());
    assertEquals(
        "jdbc:mysql://[::1]:3306/d?characterEncoding=UTF-8",
        Shard.of("abc", "::1", 3306, "u", "p", "d").jdbcUrl());
  }

  @Test
  void rule12_tlsIsTheDriversSecureDefaultUnlessTheShardSaysOtherwise() {
    String base = shard("shard1", "3306");
    Shard dflt = ShardsFile.parse("[" + base + "]", "shards.json").get(0);
    assertFalse(dflt.jdbcUrl().toLowerCase(java.util.Locale.ROOT).contains("ssl"), dflt.jdbcUrl());
    assertFalse(dflt.jdbcUrl().contains("allowPublicKeyRetrieval"), dflt.jdbcUrl());
    Shard off =
        ShardsFile.parse("[" + base.replace("}", ",\"sslMode\":\"disabled\"}") + "]", "f").get(0);
    assertTrue(off.jdbcUrl().contains("sslMode=DISABLED"), off.jdbcUrl());
    assertTrue(off.jdbcUrl().contains("allowPublicKeyRetrieval=true"), off.jdbcUrl());
  }

  @Test
  void rule13_serverVerificationAndClientCertificatesArePerShardFields() {
    String base = shard("shard1", "3306");
    Shard v =
        ShardsFile.parse(
                "["
                    + base.replace(
                        "}",
                        ",\"sslMode\":\"VERIFY_IDENTITY\","
                            + "\"trustCertificateKeyStoreUrl\":\"file:/etc/rr/ca.p12\",\"trustCertificateKeyStoreType\":\"PKCS12\","
                            + "\"trustCertificateKeyStorePassword\":\"trust-secret-1\",\"clientCertificateKeyStoreUrl\":\"file:/etc/rr/client.p12\","
                            + "\"clientCertificateKeyStorePassword\":\"client-secret-2\"}")
                    + "]",
                "f")
            .get(0);
    String url = v.jdbcUrl();
    assertTrue(url.contains("sslMode=VERIFY_IDENTITY"), url);
    assertTrue(url.contains("trustCertificateKeyStoreUrl=file%3A%2Fetc%2Frr%2Fca.p12"), url);
    assertTrue(url.contains("clientCertificateKeyStoreUrl=file%3A%2Fetc%2Frr%2Fclient.p12"), url);
    assertFalse(
        v.toString().contains("trust-secret-1") || v.toString().contains("client-secret-2"),
        v.toString());
  }

  @Test
  void rule14_badTlsFieldsNameFileShardAndField() {
    String base = shard("shard1", "3306");
    ConfigException mode =
        assertThrows(
            ConfigException.class,
            () ->
                ShardsFile.parse(
                    "[" + base.replace("}", ",\"sslMode\":\"SOMETIMES\"}") + "]", "shards.json"));
    assertEquals("sslMode", mode.field());
    assertTrue(
        mode.getMessage().contains("shards.json") && mode.getMessage().contains("shard1"),
        mode.getMessage());
    ConfigException type =
        assertThrows(
            ConfigException.class,
            () ->
                ShardsFile.parse(
                    "["
                        + base.replace(
                            "}",
                            ",\"trustCertificateKeyStoreUrl\":\"file:/a\",\"trustCertificateKeyStoreType\":\"PEM\"}")
                        + "]",
                    "f"));
    assertEquals("trustCertificateKeyStoreType", type.field());
    ConfigException noStore =
        assertThrows(
            ConfigException.class,
            () ->
                ShardsFile.parse(
                    "[" + base.replace("}", ",\"clientCertificateKeyStorePassword\":\"x\"}") + "]",
                    "f"));
    assertEquals("clientCertificateKeyStoreUrl", noStore.field());
    ConfigException notUrl =
        assertThrows(
            ConfigException.class,
            () ->
                ShardsFile.parse(
                    "["
                        + base.replace("}", ",\"trustCertificateKeyStoreUrl\":\"/etc/ca.p12\"}")
                        + "]",
                    "f"));
    assertEquals("trustCertificateKeyStoreUrl", notUrl.field());
    ConfigException twice =
        assertThrows(
            ConfigException.class,
            () ->
                ShardsFile.parse(
                    "["
                        + base.replace(
                            "}",
                            ",\"sslMode\":\"REQUIRED\",\"connectionProperties\":{\"sslmode\":\"DISABLED\"}}")
                        + "]",
                    "f"));
    assertEquals("sslMode", twice.field());
  }

  @Test
  void rule10_loadsLocalPathsAndBeamFileUris(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("shards.json");
    Files.writeString(f, "[" + shard("shard1", "3306") + "]");
    List<Shard> local = ShardsFile.load(f.toString());
    List<Shard> viaBeam = ShardsFile.load(f.toUri().toString());
    assertEquals(local, viaBeam);
    ConfigException missing =
        assertThrows(
            ConfigException.class, () -> ShardsFile.load(dir.resolve("no.json").toString()));
    assertTrue(missing.getMessage().contains("no.json"));
  }

  @Test
  void rule11_shardIsSerializable() {
    Shard s = Shard.of("shard1", "h", 1, "u", "p", "d").withConnectionProperty("a", "b");
    assertEquals(s, SerializableUtils.ensureSerializable(s));
  }
}
