package dev.reverserepl.launcher.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import dev.reverserepl.launcher.provision.ProvisionResult.Status;
import dev.reverserepl.launcher.testing.TestEmulators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provisioning against the gcloud Spanner and Pub/Sub emulators; the numbers are the README's
 * provisioning rules.
 */
class ProvisionerEmulatorTest {
  private static final String PROJECT = "rr-launch-test";
  private static final String INSTANCE = "rr-instance";
  private static final List<String> TABLE_DDL =
      List.of(
          "CREATE TABLE Singers (SingerId INT64 NOT NULL, Name STRING(100)) PRIMARY KEY (SingerId)",
          "CREATE TABLE Albums (AlbumId INT64 NOT NULL, Title STRING(100)) PRIMARY KEY (AlbumId)",
          "CREATE TABLE Songs (SongId INT64 NOT NULL, Title STRING(100)) PRIMARY KEY (SongId)");
  private static final List<String> SESSION_TABLES = List.of("Singers", "Albums", "Songs");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static GcpClients clients;

  @BeforeAll
  static void startEmulators() throws Exception {
    Optional<TestEmulators> e = TestEmulators.shared();
    if (e.isEmpty()) {
      return;
    }
    clients = GcpClients.open(PROJECT, e.get().spannerHost(), null, e.get().pubsubHost());
    clients
        .spanner()
        .getInstanceAdminClient()
        .createInstance(
            InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                .setNodeCount(1)
                .setDisplayName("rr")
                .build())
        .get();
  }

  @AfterAll
  static void closeClients() {
    if (clients != null) {
      clients.close();
    }
  }

  private static boolean skip(String test) {
    return TestEmulators.orSkip(ProvisionerEmulatorTest.class.getSimpleName() + "." + test)
        .isEmpty();
  }

  /**
   * A fresh target database with the session's tables, plus any extra DDL (e.g. a pre-existing
   * stream).
   */
  private static String newDatabase(List<String> extraDdl) throws Exception {
    String db = "db" + COUNTER.incrementAndGet();
    List<String> ddl = new ArrayList<>(TABLE_DDL);
    ddl.addAll(extraDdl);
    clients.spanner().getDatabaseAdminClient().createDatabase(INSTANCE, db, ddl).get();
    return db;
  }

  private static Provisioner.Request request(
      String db, String stream, String topic, List<String> shards) {
    return new Provisioner.Request(
        PROJECT, INSTANCE, db, stream, INSTANCE, db + "-meta", topic, shards, SESSION_TABLES);
  }

  private static List<ProvisionResult> provision(Provisioner.Request r, List<String> lines) {
    return new Provisioner(clients, lines::add).provision(r);
  }

  @Test
  void rule9_secondRunFindsEverythingExisting() throws Exception {
    if (skip("rule9_secondRunFindsEverythingExisting")) {
      return;
    }
    String db = newDatabase(List.of());
    Provisioner.Request r =
        request(db, "reverseReplicationStream", "topic-idem", List.of("idem-1", "idem-2"));
    List<String> first = new ArrayList<>();
    List<ProvisionResult> created = provision(r, first);
    List<String> second = new ArrayList<>();
    List<ProvisionResult> existing = provision(r, second);
    System.out.println(
        "first run:\n  "
            + String.join("\n  ", first)
            + "\nsecond run:\n  "
            + String.join("\n  ", second));
    assertEquals(
        List.of(
            "created change stream reverseReplicationStream on projects/rr-launch-test/instances/rr-instance/databases/"
                + db,
            "created metadata database projects/rr-launch-test/instances/rr-instance/databases/"
                + db
                + "-meta",
            "created topic projects/rr-launch-test/topics/topic-idem",
            "created subscription projects/rr-launch-test/subscriptions/idem-1",
            "created subscription projects/rr-launch-test/subscriptions/idem-2"),
        first);
    assertEquals(first.stream().map(l -> l.replaceFirst("^created", "exists")).toList(), second);
    assertTrue(created.stream().allMatch(x -> x.status() == Status.CREATED));
    assertTrue(
        existing.stream().allMatch(x -> x.status() == Status.EXISTS && x.warnings().isEmpty()));
  }

  @Test
  void rule1_missingChangeStreamIsCreatedForAllWithNewRow() throws Exception {
    if (skip("rule1_missingChangeStreamIsCreatedForAllWithNewRow")) {
      return;
    }
    String db = newDatabase(List.of());
    ProvisionResult r =
        new ChangeStreamProvisioner(clients.spanner())
            .ensure(PROJECT, INSTANCE, db, "rrStream", SESSION_TABLES);
    assertEquals(Status.CREATED, r.status());
    DatabaseClient client =
        clients.spanner().getDatabaseClient(DatabaseId.of(PROJECT, INSTANCE, db));
    try (ResultSet rs =
        client
            .singleUse()
            .executeQuery(
                Statement.of(
                    "SELECT cs.`ALL`, o.OPTION_VALUE FROM INFORMATION_SCHEMA.CHANGE_STREAMS cs "
                        + "JOIN INFORMATION_SCHEMA.CHANGE_STREAM_OPTIONS o ON o.CHANGE_STREAM_NAME = cs.CHANGE_STREAM_NAME "
                        + "WHERE cs.CHANGE_STREAM_NAME = 'rrStream' AND o.OPTION_NAME = 'value_capture_type'"))) {
      assertTrue(rs.next(), "stream rrStream with value_capture_type not found");
      assertTrue(rs.getBoolean(0), "stream is not FOR ALL");
      assertEquals("NEW_ROW", rs.getString(1));
    }
  }

  @Test
  void rule2_existingStreamWithAnotherCaptureTypeIsAnError() throws Exception {
    if (skip("rule2_existingStreamWithAnotherCaptureTypeIsAnError")) {
      return;
    }
    String db = newDatabase(List.of("CREATE CHANGE STREAM oldNew FOR ALL"));
    ProvisionException e =
        assertThrows(
            ProvisionException.class,
            () ->
                provision(
                    request(db, "oldNew", "topic-rule2", List.of("rule2-shard")),
                    new ArrayList<>()));
    System.out.println("rule2 error: " + e.getMessage());
    assertTrue(e.getMessage().contains("value_capture_type='OLD_AND_NEW_VALUES'"), e.getMessage());
    assertTrue(e.getMessage().contains("NEW_ROW"), e.getMessage());
  }

  @Test
  void rule3_streamNotForAllWarnsNamingSessionTablesLeftOut() throws Exception {
    if (skip("rule3_streamNotForAllWarnsNamingSessionTablesLeftOut")) {
      return;
    }
    String db =
        newDatabase(
            List.of(
                "CREATE CHANGE STREAM partial FOR Singers OPTIONS (value_capture_type = 'NEW_ROW')"));
    List<String> lines = new ArrayList<>();
    new Provisioner(clients, lines::add).provision(request(db, "partial", null, List.of()));
    System.out.println("rule3 report:\n  " + String.join("\n  ", lines));
    assertTrue(lines.get(0).startsWith("exists change stream partial on "), lines.get(0));
    assertEquals(
        "warning: change stream partial on "
            + Resources.databasePath(PROJECT, INSTANCE, db)
            + " is not FOR ALL: session tables Albums, Songs are not in it and will not replicate",
        lines.get(1));
  }

  @Test
  void rule6_subscriptionPerShardHasFilterOrderingAndAckDeadline() throws Exception {
    if (skip("rule6_subscriptionPerShardHasFilterOrderingAndAckDeadline")) {
      return;
    }
    String db = newDatabase(List.of());
    provision(
        request(db, "s6", "topic-rule6", List.of("shard.a-1", "shard_b~2")), new ArrayList<>());
    for (String id : List.of("shard.a-1", "shard_b~2")) {
      Subscription s =
          clients.subscriptions().getSubscription("projects/" + PROJECT + "/subscriptions/" + id);
      System.out.println(
          "subscription "
              + id
              + ": topic="
              + s.getTopic()
              + " filter="
              + s.getFilter()
              + " ordering="
              + s.getEnableMessageOrdering()
              + " ackDeadline="
              + s.getAckDeadlineSeconds());
      assertEquals(TopicName.of(PROJECT, "topic-rule6").toString(), s.getTopic());
      assertEquals("attributes.shardId = \"" + id + "\"", s.getFilter());
      assertTrue(s.getEnableMessageOrdering());
      assertEquals(600, s.getAckDeadlineSeconds());
    }
  }

  @Test
  void rule7_subscriptionOnAnotherTopicIsAnError() throws Exception {
    if (skip("rule7_subscriptionOnAnotherTopicIsAnError")) {
      return;
    }
    clients.topics().createTopic(TopicName.of(PROJECT, "other-topic-7"));
    clients
        .subscriptions()
        .createSubscription(
            Subscription.newBuilder()
                .setName("projects/" + PROJECT + "/subscriptions/shard-rule7")
                .setTopic(TopicName.of(PROJECT, "other-topic-7").toString())
                .setFilter("attributes.shardId = \"shard-rule7\"")
                .build());
    String db = newDatabase(List.of());
    ProvisionException e =
        assertThrows(
            ProvisionException.class,
            () ->
                provision(
                    request(db, "s7", "topic-rule7", List.of("shard-rule7")), new ArrayList<>()));
    System.out.println("rule7 error: " + e.getMessage());
    assertTrue(
        e.getMessage().contains("exists on topic projects/" + PROJECT + "/topics/other-topic-7"),
        e.getMessage());
  }

  @Test
  void rule8_subscriptionWithAnotherFilterIsAnError() throws Exception {
    if (skip("rule8_subscriptionWithAnotherFilterIsAnError")) {
      return;
    }
    clients.topics().createTopic(TopicName.of(PROJECT, "topic-rule8"));
    clients
        .subscriptions()
        .createSubscription(
            Subscription.newBuilder()
                .setName("projects/" + PROJECT + "/subscriptions/shard-rule8")
                .setTopic(TopicName.of(PROJECT, "topic-rule8").toString())
                .build());
    String db = newDatabase(List.of());
    ProvisionException e =
        assertThrows(
            ProvisionException.class,
            () ->
                provision(
                    request(db, "s8", "topic-rule8", List.of("shard-rule8")), new ArrayList<>()));
    System.out.println("rule8 error: " + e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("exists with filter <none> but needs 'attributes.shardId = \"shard-rule8\"'"),
        e.getMessage());
  }

  @Test
  void rule10_mismatchStopsBeforeLaterResources() throws Exception {
    if (skip("rule10_mismatchStopsBeforeLaterResources")) {
      return;
    }
    String db = newDatabase(List.of("CREATE CHANGE STREAM stop10 FOR ALL"));
    List<String> lines = new ArrayList<>();
    assertThrows(
        ProvisionException.class,
        () -> provision(request(db, "stop10", "topic-rule10", List.of("shard-rule10")), lines));
    assertEquals(
        List.of(
            "mismatch change stream stop10 on " + Resources.databasePath(PROJECT, INSTANCE, db)),
        lines);
    assertThrows(
        com.google.api.gax.rpc.NotFoundException.class,
        () -> clients.topics().getTopic(TopicName.of(PROJECT, "topic-rule10")));
  }

  @Test
  void rule11_missingTargetDatabaseIsAnError() {
    if (skip("rule11_missingTargetDatabaseIsAnError")) {
      return;
    }
    ProvisionException e =
        assertThrows(
            ProvisionException.class,
            () -> provision(request("no-such-db", "s11", null, List.of()), new ArrayList<>()));
    System.out.println("rule11 error: " + e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
