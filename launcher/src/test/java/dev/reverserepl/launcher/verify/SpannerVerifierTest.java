package dev.reverserepl.launcher.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ByteArray;
import com.google.cloud.Date;
import com.google.cloud.NoCredentials;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.operate.OperateFixtures;
import dev.reverserepl.launcher.testing.TestEmulators;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spanner} against the Spanner emulator: typed values written independently to both sides
 * compare equal.
 */
class SpannerVerifierTest {
  static final String PROJECT = "verify-project";
  static final String INSTANCE = "verify-instance";
  static final String DB = "verifydb";

  @Test
  void spannerAndMySqlWithTheSameDataMatchAndAChangedValueIsFound(@TempDir Path dir)
      throws Exception {
    Optional<TestEmulators> emu = TestEmulators.orSkip("SpannerVerifierTest.spannerAndMySql...");
    if (emu.isEmpty()) {
      org.junit.jupiter.api.Assumptions.abort("no emulator");
      return;
    }
    Path sessionFile = dir.resolve("session.json");
    Files.copy(getClass().getResourceAsStream("/sample/session.json"), sessionFile);
    Path schema = dir.resolve("mysql-schema.sql");
    Files.copy(getClass().getResourceAsStream("/sample/mysql-schema.sql"), schema);
    SessionMapping session = SessionMapping.load(sessionFile.toString());
    List<Shard> shards = OperateFixtures.freshShards("spverify", "shard1", "shard2");
    for (Shard s : shards) {
      EmbeddedMySql.shared().runSqlFile(s.dbName(), schema);
    }

    String ddlText =
        new String(getClass().getResourceAsStream("/sample/spanner-schema.sql").readAllBytes());
    List<String> ddl =
        Arrays.stream(ddlText.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    try (Spanner spanner =
        SpannerOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emu.get().spannerHost())
            .setCredentials(NoCredentials.getInstance())
            .setBuiltInMetricsEnabled(false)
            .build()
            .getService()) {
      spanner
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setNodeCount(1)
                  .setDisplayName("verify")
                  .build())
          .get();
      spanner.getDatabaseAdminClient().createDatabase(INSTANCE, DB, ddl).get();
      spanner
          .getDatabaseClient(DatabaseId.of(PROJECT, INSTANCE, DB))
          .write(
              List.of(
                  Mutation.newInsertBuilder("customers")
                      .set("customer_id")
                      .to(1)
                      .set("full_name")
                      .to("Ann")
                      .set("email")
                      .to("a@x")
                      .set("balance")
                      .to(new BigDecimal("12.5"))
                      .set("created_at")
                      .to(Timestamp.parseTimestamp("2024-05-01T10:00:00.123456Z"))
                      .set("migration_shard_id")
                      .to("shard1")
                      .build(),
                  Mutation.newInsertBuilder("customers")
                      .set("customer_id")
                      .to(2)
                      .set("full_name")
                      .to("Bob")
                      .set("migration_shard_id")
                      .to("shard2")
                      .build(),
                  Mutation.newInsertBuilder("orders")
                      .set("customer_id")
                      .to(1)
                      .set("order_id")
                      .to(10)
                      .set("amount")
                      .to(0.1)
                      .set("status")
                      .to("new")
                      .set("payload")
                      .to(Value.json("{\"b\":1,\"a\":[true,null]}"))
                      .set("note")
                      .to(ByteArray.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                      .set("migration_shard_id")
                      .to("shard1")
                      .build(),
                  Mutation.newInsertBuilder("products")
                      .set("sku")
                      .to("k1")
                      .set("title")
                      .to("Tea")
                      .set("price")
                      .to(new BigDecimal("3.10"))
                      .set("in_stock")
                      .to(true)
                      .set("released")
                      .to(Date.fromYearMonthDay(2024, 2, 29))
                      .set("migration_shard_id")
                      .to("shard2")
                      .build()));
    }
    sql(
        shards.get(0),
        "INSERT INTO customers VALUES (1, 'Ann', 'a@x', 12.50, '2024-05-01 10:00:00.123456')",
        "INSERT INTO orders VALUES (1, 10, 0.1, 'new', '{\"a\": [true, null], \"b\": 1}', X'0001ff')");
    sql(
        shards.get(1),
        "INSERT INTO customers VALUES (2, 'Bob', NULL, NULL, NULL)",
        "INSERT INTO products VALUES ('k1', 'Tea', 3.1, 1, '2024-02-29')");

    SpannerTarget target =
        new SpannerTarget(PROJECT, INSTANCE, DB, Optional.empty(), emu.get().spannerHost());
    VerifySettings settings = VerifySettings.defaults().withRecheckDelay(Duration.ofMillis(100));
    VerificationReport clean = new Verifier(session, shards, settings).verifySpanner(target);
    clean.print(System.out);
    assertTrue(clean.matches());
    assertEquals(4, clean.tables().stream().mapToLong(TableResult::matching).sum());

    sql(shards.get(0), "UPDATE orders SET amount = 0.2 WHERE order_id = 10");
    VerificationReport changed = new Verifier(session, shards, settings).verifySpanner(target);
    changed.print(System.out);
    assertFalse(changed.matches());
    TableResult orders =
        changed.tables().stream().filter(t -> !t.matches()).findFirst().orElseThrow();
    assertEquals("orders", orders.sourceTable());
    assertEquals("shard1", orders.shardId());
    assertEquals(1, orders.different());
    assertEquals(0, orders.missing() + orders.extra());
    assertEquals("1,10", orders.details().get(0).key());
  }

  static void sql(Shard s, String... statements) throws Exception {
    try (Connection c = EmbeddedMySql.shared().connect(s.dbName());
        Statement st = c.createStatement()) {
      for (String q : statements) {
        st.execute(q);
      }
    }
  }
}
