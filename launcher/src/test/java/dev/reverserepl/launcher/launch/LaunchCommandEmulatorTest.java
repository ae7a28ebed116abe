package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.launcher.provision.GcpClients;
import dev.reverserepl.launcher.testing.Fixtures;
import dev.reverserepl.launcher.testing.TestEmulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole launch — preflight with real MySQL shards, provisioning on the emulators, submission
 * recorded.
 */
class LaunchCommandEmulatorTest {
  private static final String PROJECT = "rr-launch-e2e";
  private static final Path FIXTURE = Fixtures.repo("clock");

  record Submitted(String project, String region, LaunchFlexTemplateRequest request) {}

  @Test
  void launchChecksShardsProvisionsOnceAndSubmitsBothJobs(@TempDir Path dir) throws Exception {
    Optional<TestEmulators> emulators =
        TestEmulators.orSkip(
            "LaunchCommandEmulatorTest.launchChecksShardsProvisionsOnceAndSubmitsBothJobs");
    if (emulators.isEmpty()) {
      return;
    }
    try (GcpClients clients = GcpClients.open(PROJECT, emulators.get().spannerHost(), null, null)) {
      clients
          .spanner()
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, "inst"))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setNodeCount(1)
                  .setDisplayName("e2e")
                  .build())
          .get();
      clients
          .spanner()
          .getDatabaseAdminClient()
          .createDatabase(
              "inst",
              "appdb",
              List.of(
                  "CREATE TABLE Meetings (MeetingId INT64 NOT NULL, StartsAt TIMESTAMP, LocalStart STRING(MAX),"
                      + " Room STRING(40)) PRIMARY KEY (MeetingId)"))
          .get();
    }
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    List<String> entries = new ArrayList<>();
    for (String shard : List.of("e2e-shard1", "e2e-shard2")) {
      String db = shard.replace('-', '_');
      mysql.recreateDatabase(db);
      mysql.runSqlFile(db, FIXTURE.resolve("mysql-schema.sql"));
      entries.add(
          "{\"logicalShardId\": \""
              + shard
              + "\", \"host\": \""
              + mysql.host()
              + "\", \"port\": \""
              + mysql.port()
              + "\", \"user\": \""
              + mysql.user()
              + "\", \"password\": \""
              + mysql.password()
              + "\", \"dbName\": \""
              + db
              + "\"}");
    }
    Path shards =
        Files.writeString(dir.resolve("shards.json"), "[" + String.join(",", entries) + "]");
    List<String> args =
        List.of(
            "-projectId=" + PROJECT,
            "-dataflowRegion=us-east1",
            "-instanceId=inst",
            "-dbName=appdb",
            "-sourceShardsFilePath=" + shards,
            "-sessionFilePath=" + FIXTURE.resolve("session.json"),
            "--check-shards",
            "-spannerEmulatorHost=" + emulators.get().spannerHost(),
            "-pubsubEmulatorHost=" + emulators.get().pubsubHost());
    List<Submitted> submitted = new ArrayList<>();
    JobSubmitter recorder =
        (project, region, request) -> {
          submitted.add(new Submitted(project, region, request));
          return "job-" + submitted.size();
        };

    LaunchCommandTest.Run first = LaunchCommandTest.run(args, recorder);
    System.out.println(first.out() + first.err());
    assertEquals(0, first.status(), first.err());
    LaunchCommandTest.Run second = LaunchCommandTest.run(args, recorder);
    System.out.println(second.out() + second.err());
    assertEquals(0, second.status(), second.err());

    String db = "projects/" + PROJECT + "/instances/inst/databases/";
    List<String> resources =
        List.of(
            "change stream reverseReplicationStream on " + db + "appdb",
            "metadata database " + db + "change-stream-metadata",
            "topic projects/" + PROJECT + "/topics/reverse-replication",
            "subscription projects/" + PROJECT + "/subscriptions/e2e-shard1",
            "subscription projects/" + PROJECT + "/subscriptions/e2e-shard2");
    assertTrue(
        first
            .out()
            .contains("shard 'e2e-shard1': writable, 1 session table(s) present and writable"));
    assertTrue(
        first
            .out()
            .contains("shard 'e2e-shard2': writable, 1 session table(s) present and writable"));
    for (String r : resources) {
      assertTrue(first.out().contains("\n  created " + r + "\n"), "first run did not create " + r);
      assertTrue(second.out().contains("\n  exists " + r + "\n"), "second run did not find " + r);
    }
    assertTrue(
        first.out().contains("launched reverse-rep-ordering: job id job-1 (region us-east1)"));
    assertTrue(first.out().contains("launched reverse-rep-writer: job id job-2 (region us-east1)"));
    assertEquals(4, submitted.size());
    assertEquals(
        List.of(
            "reverse-rep-ordering",
            "reverse-rep-writer",
            "reverse-rep-ordering",
            "reverse-rep-writer"),
        submitted.stream().map(s -> s.request().getLaunchParameter().getJobName()).toList());
    LaunchSettings settings = first.command().settings();
    assertEquals(
        FlexLaunchRequests.build(settings, JobSpec.ordering(settings)), submitted.get(0).request());
    assertEquals(
        FlexLaunchRequests.build(settings, JobSpec.writer(settings)), submitted.get(1).request());
    assertEquals(PROJECT, submitted.get(0).project());
    assertEquals("us-east1", submitted.get(0).region());
  }
}
