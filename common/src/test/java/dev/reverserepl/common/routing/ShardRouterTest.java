package dev.reverserepl.common.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** Rules 1..8 of "Routing" in the module README (and of {@link ShardRouter}). */
class ShardRouterTest {
  private static final SessionMapping SHARDED = load("bands-sharded/session.json");
  private static final SessionMapping UNSHARDED = load("clock/session.json");
  private static final List<Shard> TWO = List.of(shard("shard1"), shard("shard2"));

  private static SessionMapping load(String f) {
    return SessionMapping.load(Fixtures.repo(f).toString());
  }

  private static Shard shard(String id) {
    return Shard.of(id, "127.0.0.1", 3306, "root", "pw", "db_" + id);
  }

  private static Change change(String table, ModKind kind, String keys, String values) {
    return new Change(table, kind, keys, values, new ChangePosition(1, "tx", 0, 0), "", 1);
  }

  private static String unresolved(RoutingResult r) {
    return assertInstanceOf(RoutingResult.Unresolved.class, r).reason();
  }

  @Test
  void rule1_tableNotInTheSourceIsUnresolved() {
    ShardRouter router = new ShardRouter(SHARDED, TWO);
    String reason = unresolved(router.route(change("Tours", ModKind.INSERT, "{}", "{}")));
    assertTrue(reason.contains("'Tours'") && reason.contains("not in the session"), reason);
  }

  @Test
  void rule2_customFetcherDecidesAndIsInitialisedOnce() {
    ShardRouter router =
        new ShardRouter(SHARDED, TWO).withCustomFetcher(TestFetchers.ByParity.class.getName());
    assertEquals(
        new RoutingResult.Routed("shard1"),
        router.route(change("Bands", ModKind.INSERT, "{\"BandId\":\"4\"}", "{}")));
    assertEquals(
        new RoutingResult.Routed("shard2"),
        router.route(change("Bands", ModKind.DELETE, "{\"BandId\":\"7\"}", "{}")));
    assertEquals(TestFetchers.ByParity.class.getName(), router.customFetcherClass());
  }

  @Test
  void rule2_customFetcherWithoutAnswerOrFailingIsUnresolved() {
    Change c =
        change(
            "Bands", ModKind.INSERT, "{\"BandId\":\"4\",\"migration_shard_id\":\"shard1\"}", "{}");
    String empty =
        unresolved(
            new ShardRouter(SHARDED, TWO)
                .withCustomFetcher(TestFetchers.Nobody.class.getName())
                .route(c));
    assertTrue(empty.contains("returned no shard id"), empty);
    String thrown =
        unresolved(
            new ShardRouter(SHARDED, TWO)
                .withCustomFetcher(TestFetchers.Throws.class.getName())
                .route(c));
    assertTrue(thrown.contains("lookup service down"), thrown);
  }

  @Test
  void rule2_badCustomFetcherClassIsAClearConfigError() {
    ShardRouter base = new ShardRouter(SHARDED, TWO);
    ConfigException missing =
        assertThrows(ConfigException.class, () -> base.withCustomFetcher("com.example.Nope"));
    assertEquals("className", missing.field());
    assertTrue(
        missing.getMessage().contains("com.example.Nope")
            && missing.getMessage().contains("not found"));
    ConfigException wrongType =
        assertThrows(
            ConfigException.class,
            () -> base.withCustomFetcher(TestFetchers.NotAFetcher.class.getName()));
    assertTrue(wrongType.getMessage().contains("does not implement"), wrongType.getMessage());
    ConfigException noCtor =
        assertThrows(
            ConfigException.class,
            () -> base.withCustomFetcher(TestFetchers.NoDefaultConstructor.class.getName()));
    assertTrue(
        noCtor.getMessage().contains("no public no-argument constructor"), noCtor.getMessage());
    ConfigException init =
        assertThrows(
            ConfigException.class,
            () -> base.withCustomFetcher(TestFetchers.InitFails.class.getName()));
    assertTrue(init.getMessage().contains("no config"), init.getMessage());
    ConfigException iface =
        assertThrows(
            ConfigException.class, () -> base.withCustomFetcher(ShardIdFetcher.class.getName()));
    assertTrue(iface.getMessage().contains("abstract"), iface.getMessage());
  }

  @Test
  void rule3_shardIdComesFromKeysFirstThenNewValues() {
    ShardRouter router = new ShardRouter(SHARDED, TWO);
    assertEquals(
        new RoutingResult.Routed("shard2"),
        router.route(
            change(
                "Bands",
                ModKind.UPDATE,
                "{\"BandId\":\"1\",\"migration_shard_id\":\"shard2\"}",
                "{\"migration_shard_id\":\"shard1\"}")));
    assertEquals(
        new RoutingResult.Routed("shard1"),
        router.route(
            change(
                "Bands",
                ModKind.INSERT,
                "{\"BandId\":\"1\"}",
                "{\"BandName\":\"a\",\"migration_shard_id\":\"shard1\"}")));
    // Table and column names are matched case-insensitively, as Spanner does.
    assertEquals(
        new RoutingResult.Routed("shard1"),
        router.route(
            change(
                "bands",
                ModKind.INSERT,
                "{\"BandId\":\"1\",\"MIGRATION_SHARD_ID\":\"shard1\"}",
                "{}")));
  }

  @Test
  void rule4_deleteWithoutShardColumnInKeysIsUnresolved() {
    ShardRouter router = new ShardRouter(SHARDED, TWO);
    String reason =
        unresolved(router.route(change("Bands", ModKind.DELETE, "{\"BandId\":\"1\"}", "{}")));
    assertTrue(reason.contains("migration_shard_id") && reason.contains("DELETE"), reason);
    assertTrue(
        unresolved(
                router.route(
                    change(
                        "Bands",
                        ModKind.INSERT,
                        "{\"BandId\":\"1\",\"migration_shard_id\":null}",
                        "{\"migration_shard_id\":\"\"}")))
            .contains("missing or empty"));
  }

  @Test
  void rule5_singleShardAndUnshardedSessionRoutesEverythingToIt() {
    ShardRouter router = new ShardRouter(UNSHARDED, List.of(shard("only")));
    assertEquals(
        new RoutingResult.Routed("only"),
        router.route(change("Meetings", ModKind.DELETE, "{\"MeetingId\":\"1\"}", "{}")));
  }

  @Test
  void rule6_noShardColumnWithSeveralShardsOrShardedSessionIsUnresolved() {
    String reason =
        unresolved(
            new ShardRouter(UNSHARDED, TWO)
                .route(change("Meetings", ModKind.INSERT, "{\"MeetingId\":\"1\"}", "{}")));
    assertTrue(reason.contains("no shard id column") && reason.contains("2 shards"), reason);
    SessionMapping flagged =
        SessionMapping.parse(
            "{\"IsSharded\":true,\"SpSchema\":{\"t1\":{\"Name\":\"T\",\"ColIds\":[\"c1\"],\"ColDefs\":{\"c1\":"
                + "{\"Name\":\"id\",\"T\":{\"Name\":\"INT64\"}}},\"PrimaryKeys\":[{\"ColId\":\"c1\",\"Order\":1}]}},"
                + "\"SrcSchema\":{\"t1\":{\"Name\":\"t\",\"ColIds\":[\"c1\"],\"ColDefs\":{\"c1\":{\"Name\":\"id\","
                + "\"Type\":{\"Name\":\"int\"}}},\"PrimaryKeys\":[{\"ColId\":\"c1\",\"Order\":1}]}}}",
            "flagged.json");
    unresolved(
        new ShardRouter(flagged, List.of(shard("only")))
            .route(change("T", ModKind.INSERT, "{\"id\":\"1\"}", "{}")));
  }

  @Test
  void rule7_shardIdNotInShardsFileIsUnresolved() {
    String reason =
        unresolved(
            new ShardRouter(SHARDED, TWO)
                .route(
                    change(
                        "Bands",
                        ModKind.INSERT,
                        "{\"BandId\":\"1\",\"migration_shard_id\":\"shard9\"}",
                        "{}")));
    assertTrue(reason.contains("'shard9'") && reason.contains("not in the shards file"), reason);
    String custom =
        unresolved(
            new ShardRouter(SHARDED, TWO)
                .withCustomFetcher(TestFetchers.Unknown.class.getName())
                .route(change("Bands", ModKind.INSERT, "{\"BandId\":\"1\"}", "{}")));
    assertTrue(custom.contains("shard-from-nowhere"), custom);
  }

  @Test
  void rule8_routerIsSerializableAndReinitialisesItsFetcher() {
    ShardRouter router =
        new ShardRouter(SHARDED, TWO).withCustomFetcher(TestFetchers.ByParity.class.getName());
    ShardRouter copy = SerializableUtils.ensureSerializable(router);
    assertEquals(
        new RoutingResult.Routed("shard2"),
        copy.route(change("Bands", ModKind.INSERT, "{\"BandId\":\"3\"}", "{}")));
    ShardRouter plain = SerializableUtils.ensureSerializable(new ShardRouter(SHARDED, TWO));
    assertEquals(
        new RoutingResult.Routed("shard1"),
        plain.route(
            change(
                "Bands",
                ModKind.INSERT,
                "{\"BandId\":\"1\",\"migration_shard_id\":\"shard1\"}",
                "{}")));
    assertEquals(
        router.customFetcherClass(),
        router
            .withCustomFetcher(null)
            .withCustomFetcher(router.customFetcherClass())
            .customFetcherClass());
  }

  @Test
  void rule3_theShardIdColumnIsReadAsItsTreeWouldGiveIt() throws Exception {
    String[] texts = {
      "{\"sid\":\"a\"}",
      "{\"x\":{\"sid\":\"nested\"},\"SID\":\"upper\"}",
      "{\"Sid\":\"first\",\"SID\":\"second\"}",
      "{\"SID\":\"insensitive\",\"sid\":\"exact\"}",
      "{\"sid\":{\"a\":1},\"SID\":\"other\"}",
      "{\"sid\":[1,2]}",
      "{\"sid\":42}",
      "{\"sid\":-1.50}",
      "{\"sid\":1e3}",
      "{\"sid\":123456789012345678901234567890}",
      "{\"sid\":true}",
      "{\"sid\":null,\"SID\":\"x\"}",
      "{\"sid\":\"\"}",
      "{\"sid\":\"a\",\"sid\":\"b\"}",
      "{\"sid\":\"\\u00e9t\\u00e9\"}",
      "{\"sid\":\"a\"} trailing",
      "{\"sid\":\"a\"",
      "[\"sid\"]",
      "\"sid\"",
      "{}",
      ""
    };
    for (String t : texts) {
      assertEquals(fromTree(t, "sid"), ShardIdColumnFetcher.valueOf(t, "sid"), t);
    }
  }

  /** The column's value as the parsed tree gives it: the reference the token read must match. */
  private static java.util.Optional<String> fromTree(String json, String column) {
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = json.isEmpty() ? null : dev.reverserepl.common.json.Json.parse(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return java.util.Optional.empty();
    }
    if (node == null) {
      return java.util.Optional.empty();
    }
    com.fasterxml.jackson.databind.JsonNode v = node.get(column);
    if (v == null) {
      for (var it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().equalsIgnoreCase(column)) {
          v = e.getValue();
          break;
        }
      }
    }
    return v == null || !(v.isTextual() || v.isNumber()) || v.asText().isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(v.asText());
  }
}
