package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.reverserepl.launcher.testing.Fixtures;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.writer.options.BufferType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LaunchCommandTest {
  private static final String QUICKSTART =
      "-projectId=my-project -dataflowRegion=us-east1 -instanceId=my-instance "
          + "-dbName=mydb -sourceShardsFilePath=gs://bucket-name/shards.json  -sessionFilePath=gs://bucket-name/session.json";

  /** The sample commands of the seed, verbatim after {@code go run launcher.go}. */
  static final List<String> SEED_SAMPLES =
      List.of(
          QUICKSTART,
          "-projectId=my-project -dataflowRegion=us-east1 -jobNamePrefix=reverse-rep -changeStreamName=mystream "
              + "-instanceId=my-instance -dbName=mydb -metadataInstance=my-instance -metadataDatabase=stream-metadb "
              + "-pubSubDataTopicId=my-topic -sourceShardsFilePath=gs://bucket-name/shards.json  "
              + "-sessionFilePath=gs://bucket-name/session.json",
          QUICKSTART + " -machineType=e2-standard-2 -orderingWorkers=10 -writerWorkers=8",
          QUICKSTART + " -pubSubEndpoint=asia-southeast2-pubsub.googleapis.com:443",
          QUICKSTART + " -pubSubEndpoint=pubsub.googleapis.com:443");

  record Run(int status, String out, String err, LaunchCommand command) {}

  static Run run(List<String> args, JobSubmitter submitter) {
    LaunchCommand command = new LaunchCommand().withSubmitter(submitter);
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args.toArray(String[]::new));
    return new Run(status, out.toString(), err.toString(), command);
  }

  static Run run(String args) {
    return run(List.of(args.trim().split("\\s+")), (p, r, req) -> fail("a job was submitted"));
  }

  @Test
  void helpListsEverySeedArgumentWithItsDefault() {
    Run r = run("--help");
    System.out.println(r.out());
    assertEquals(0, r.status());
    String help = r.out();
    for (String arg :
        List.of(
            "projectId",
            "dataflowRegion",
            "jobNamePrefix",
            "changeStreamName",
            "instanceId",
            "dbName",
            "metadataInstance",
            "metadataDatabase",
            "startTimestamp",
            "pubSubDataTopicId",
            "pubSubEndpoint",
            "sourceShardsFilePath",
            "sessionFilePath",
            "machineType",
            "orderingWorkers",
            "writerWorkers")) {
      assertTrue(help.contains("-" + arg + ", --" + arg), "help lacks -" + arg);
    }
    for (String dflt :
        List.of(
            "Default: reverse-rep.",
            "Default: reverseReplicationStream.",
            "Default: the instanceId.",
            "Default: change-stream-metadata.",
            "Default: empty, which means now.",
            "Default: reverse-replication.",
            "<dataflowRegion>-pubsub.googleapis.com:443",
            "Default: n2-standard-4.",
            "Default: 5.")) {
      assertTrue(help.replaceAll("\\s+", " ").contains(dflt), "help lacks '" + dflt + "'");
    }
    assertEquals(
        2,
        help.split("Default: 5\\.", -1).length - 1,
        "orderingWorkers and writerWorkers default 5");
  }

  @Test
  void seedSampleCommandsParseAndDryRunPrintsThePlan() {
    for (String sample : SEED_SAMPLES) {
      Run r = run(sample + " --dry-run");
      System.out.println("$ rr launch " + sample + " --dry-run\n" + r.out() + r.err());
      assertEquals(0, r.status(), r.err());
      assertTrue(r.out().startsWith("dry run: nothing below is contacted or created"), r.out());
      assertTrue(
          r.out()
              .contains(
                  "shards file gs://bucket-name/shards.json: not read (a dry run contacts nothing)"));
      assertTrue(r.out().contains("gcloud dataflow flex-template run reverse-rep-ordering "));
      assertTrue(r.out().contains("gcloud dataflow flex-template run reverse-rep-writer "));
    }
  }

  @Test
  void quickstartDryRunPrintsExactlyThisPlan() {
    LaunchSettings s =
        LaunchSettings.of(
            "my-project",
            "us-east1",
            "my-instance",
            "mydb",
            "gs://bucket-name/shards.json",
            "gs://bucket-name/session.json");
    Run r = run(QUICKSTART + " --dry-run");
    String expected =
        String.join(
            "\n",
            "dry run: nothing below is contacted or created",
            "preflight:",
            "  shards file gs://bucket-name/shards.json: not read (a dry run contacts nothing)",
            "  session file gs://bucket-name/session.json: not read (a dry run contacts nothing)",
            "  shard connections: not checked (add --check-shards)",
            "plan (in order; existing resources are checked and kept):",
            "  1. change stream reverseReplicationStream on projects/my-project/instances/my-instance/databases/mydb "
                + "(FOR ALL, value_capture_type='NEW_ROW'; an existing stream must be NEW_ROW)",
            "  2. metadata database projects/my-project/instances/my-instance/databases/change-stream-metadata",
            "  3. topic projects/my-project/topics/reverse-replication",
            "  4. subscription projects/my-project/subscriptions/<logicalShardId> for each shard in "
                + "gs://bucket-name/shards.json (topic reverse-replication, filter attributes.shardId = "
                + "\"<logicalShardId>\", message ordering, ack deadline 600 s)",
            "  5. bucket gs://my-project-reverse-replication (must exist: templates/build.sh creates it and stages the "
                + "templates there)",
            "  6. Dataflow job reverse-rep-ordering in us-east1 from "
                + "gs://my-project-reverse-replication/templates/ordering.json (5 workers, max 5, n2-standard-4)",
            "  7. Dataflow job reverse-rep-writer in us-east1 from "
                + "gs://my-project-reverse-replication/templates/writer.json (5 workers, max 5, n2-standard-4)",
            "equivalent gcloud commands (in order):",
            "  gcloud spanner databases ddl update mydb --project=my-project --instance=my-instance "
                + "'--ddl=CREATE CHANGE STREAM reverseReplicationStream FOR ALL OPTIONS "
                + "(value_capture_type = '\\''NEW_ROW'\\'', retention_period = '\\''7d'\\'')'",
            "  gcloud spanner databases create change-stream-metadata --project=my-project --instance=my-instance",
            "  gcloud pubsub topics create reverse-replication --project=my-project",
            "  gcloud pubsub subscriptions create '<logicalShardId>' --project=my-project --topic=reverse-replication "
                + "'--message-filter=attributes.shardId = \"<logicalShardId>\"' --enable-message-ordering "
                + "--ack-deadline=600",
            "  gcloud storage buckets create gs://my-project-reverse-replication --project=my-project "
                + "--location=us-east1",
            "  " + GcloudCommands.render(s, JobSpec.ordering(s)),
            "  " + GcloudCommands.render(s, JobSpec.writer(s)),
            "");
    assertEquals(expected, r.out());
  }

  @Test
  void seedArgumentsTakeEffect() {
    LaunchSettings custom = parse(SEED_SAMPLES.get(1));
    assertEquals("mystream", custom.spanner().changeStreamName());
    assertEquals("stream-metadb", custom.spanner().metadataDatabase());
    assertEquals("my-topic", custom.buffer().pubSubDataTopicId());
    LaunchSettings tuned = parse(SEED_SAMPLES.get(2));
    assertEquals("e2-standard-2", tuned.workers().machineType());
    assertEquals(10, tuned.workers().ordering().workers());
    assertEquals(8, tuned.workers().writer().workers());
    assertEquals(
        "asia-southeast2-pubsub.googleapis.com:443",
        parse(SEED_SAMPLES.get(3)).buffer().pubSubEndpoint());
    assertEquals("pubsub.googleapis.com:443", parse(SEED_SAMPLES.get(4)).buffer().pubSubEndpoint());
  }

  @Test
  void defaultsFollowTheSeed() {
    LaunchSettings s = parse(QUICKSTART);
    assertEquals("reverse-rep", s.placement().jobNamePrefix());
    assertEquals("reverseReplicationStream", s.spanner().changeStreamName());
    assertEquals("my-instance", s.spanner().metadataInstance());
    assertEquals("change-stream-metadata", s.spanner().metadataDatabase());
    assertEquals("", s.spanner().startTimestamp());
    assertEquals("reverse-replication", s.buffer().pubSubDataTopicId());
    assertEquals("us-east1-pubsub.googleapis.com:443", s.buffer().pubSubEndpoint());
    assertEquals("n2-standard-4", s.workers().machineType());
    assertEquals(new WorkerPool(5, 5), s.workers().ordering());
    assertEquals(new WorkerPool(5, 5), s.workers().writer());
    assertEquals(FiltrationMode.FORWARD_MIGRATION, s.spanner().filtrationMode());
    assertEquals(BufferType.PUBSUB, s.buffer().type());
    // the builder without any argument but the required ones gives the same defaults
    assertEquals(
        s,
        LaunchSettings.of(
            "my-project",
            "us-east1",
            "my-instance",
            "mydb",
            "gs://bucket-name/shards.json",
            "gs://bucket-name/session.json"));
  }

  @Test
  void doubleDashFormIsAcceptedToo() {
    LaunchSettings s =
        parse(
            "--projectId=p --dataflowRegion=europe-west1 --instanceId=i --dbName=d "
                + "--sourceShardsFilePath=gs://b/s.json --sessionFilePath=gs://b/x.json --jobNamePrefix=Rev-Rep "
                + "--orderingWorkers=3");
    assertEquals("rev-rep", s.placement().jobNamePrefix(), "job name prefix is lower-cased");
    assertEquals(3, s.workers().ordering().workers());
    assertEquals("europe-west1-pubsub.googleapis.com:443", s.buffer().pubSubEndpoint());
  }

  @Test
  void topicWithProjectsPrefixIsRejected() {
    Run r = run(QUICKSTART + " -pubSubDataTopicId=projects/my-project/topics/rr --dry-run");
    assertEquals(2, r.status());
    assertEquals(
        "error: rr launch: field 'pubSubDataTopicId': give the topic id only, without the "
            + "'projects/<project>/topics/' prefix: 'projects/my-project/topics/rr'\n",
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void badStartTimestampAndMissingArgumentsAreUsageErrors() {
    Run bad = run(QUICKSTART + " -startTimestamp=yesterday --dry-run");
    assertEquals(2, bad.status());
    assertTrue(
        bad.err().contains("field 'startTimestamp': 'yesterday' is not an RFC 3339 timestamp"),
        bad.err());
    Run missing = run("-projectId=p -dataflowRegion=r --dry-run");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("Missing required options"), missing.err());
    assertTrue(missing.err().contains("-instanceId"), missing.err());
  }

  @Test
  void dryRunWithLocalFilesListsOneSubscriptionPerShard(@TempDir Path dir) throws IOException {
    Path shards = writeShards(dir, "shard1", "shard2");
    Path session = Fixtures.repo("clock/session.json");
    // emulator hosts point at a closed port: a dry run must not try them
    Run r =
        run(
            List.of(
                "-projectId=p",
                "-dataflowRegion=us-east1",
                "-instanceId=i",
                "-dbName=d",
                "-sourceShardsFilePath=" + shards,
                "-sessionFilePath=" + session,
                "--dry-run",
                "--check-shards",
                "-spannerEmulatorHost=127.0.0.1:1",
                "-pubsubEmulatorHost=127.0.0.1:1"),
            (p, reg, req) -> fail("a job was submitted"));
    System.out.println(r.out() + r.err());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("shards file " + shards + ": 2 shard(s) shard1, shard2"), r.out());
    assertTrue(r.out().contains("session file " + session + ": 1 table(s) Meetings"), r.out());
    assertTrue(
        r.out().contains("shard connections: not checked (a dry run contacts nothing)"), r.out());
    assertTrue(
        r.out()
            .contains(
                "  4. subscription projects/p/subscriptions/shard1 (topic reverse-replication, "
                    + "filter attributes.shardId = \"shard1\", message ordering, ack deadline 600 s)"),
        r.out());
    assertTrue(r.out().contains("  5. subscription projects/p/subscriptions/shard2 "), r.out());
    assertTrue(r.out().contains("  7. Dataflow job reverse-rep-ordering "), r.out());
  }

  @Test
  void ruleG1G2_dryRunPrintsAGcloudCommandPerResourceInOrderThenBothLaunches(@TempDir Path dir)
      throws IOException {
    Path shards = writeShards(dir, "shard1", "shard2");
    Path session = Fixtures.repo("clock/session.json");
    Run r =
        run(
            List.of(
                "-projectId=p",
                "-dataflowRegion=europe-west3",
                "-instanceId=i",
                "-dbName=d",
                "-sourceShardsFilePath=" + shards,
                "-sessionFilePath=" + session,
                "--dry-run",
                "-deadLetterQueueDirectory=gs://dead-letters/rr",
                "-tempLocation=gs://scratch/tmp"),
            (p, reg, req) -> fail("a job was submitted"));
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    List<String> commands =
        lines.subList(lines.indexOf("equivalent gcloud commands (in order):") + 1, lines.size());
    List<String> verbs =
        commands.stream()
            .map(c -> String.join(" ", List.of(c.trim().split(" ")).subList(0, 4)))
            .toList();
    assertEquals(
        List.of(
            "gcloud spanner databases ddl",
            "gcloud spanner databases create",
            "gcloud pubsub topics create",
            "gcloud pubsub subscriptions create",
            "gcloud pubsub subscriptions create",
            "gcloud storage buckets create",
            "gcloud storage buckets create",
            "gcloud storage buckets create",
            "gcloud dataflow flex-template run",
            "gcloud dataflow flex-template run"),
        verbs);
    assertEquals(
        "  gcloud pubsub subscriptions create shard2 --project=p --topic=reverse-replication "
            + "'--message-filter=attributes.shardId = \"shard2\"' --enable-message-ordering --ack-deadline=600",
        commands.get(4));
    // rule G3: each bucket once, in the launch region
    assertEquals(
        List.of(
            "  gcloud storage buckets create gs://dead-letters --project=p --location=europe-west3",
            "  gcloud storage buckets create gs://p-reverse-replication --project=p --location=europe-west3",
            "  gcloud storage buckets create gs://scratch --project=p --location=europe-west3"),
        commands.subList(5, 8));
  }

  @Test
  void ruleG2_aKafkaBufferHasNoPubSubCommands() {
    Run r =
        run(
            QUICKSTART
                + " -sinkType=kafka -kafkaBootstrapServers=10.0.0.5:9092 -kafkaTopic=rr --dry-run");
    assertEquals(0, r.status(), r.err());
    assertFalse(r.out().contains("gcloud pubsub"), r.out());
    assertTrue(r.out().contains("gcloud spanner databases create change-stream-metadata"), r.out());
    assertTrue(r.out().contains("gcloud dataflow flex-template run reverse-rep-writer"), r.out());
  }

  static Path writeShards(Path dir, String... ids) throws IOException {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      entries.add(
          "{\"logicalShardId\": \""
              + ids[i]
              + "\", \"host\": \"10.11.12."
              + (13 + i)
              + "\", "
              + "\"user\": \"root\", \"password\": \"mypwd\", \"port\": \"3306\", \"dbName\": \"db"
              + (i + 1)
              + "\"}");
    }
    Path file = dir.resolve("shards.json");
    Files.writeString(file, "[" + String.join(",\n", entries) + "]");
    return file;
  }

  private static LaunchSettings parse(String args) {
    LaunchCommand command = new LaunchCommand();
    new CommandLine(command).parseArgs(args.trim().split("\\s+"));
    LaunchSettings s = command.settings();
    assertFalse(s.projectId().isEmpty());
    return s;
  }
}
