package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.writer.options.BufferType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of {@link LaunchSettings}, their defaults and the launch's mode arguments. */
class LaunchSettingsTest {
  private static final String QUICKSTART =
      "-projectId=my-project -dataflowRegion=us-east1 -instanceId=my-instance -dbName=mydb "
          + "-sourceShardsFilePath=gs://bucket-name/shards.json -sessionFilePath=gs://bucket-name/session.json";

  private static LaunchSettings.Builder required() {
    return LaunchSettings.builder()
        .projectId("p")
        .dataflowRegion("r1")
        .instanceId("i")
        .dbName("d")
        .sourceShardsFilePath("gs://b/s.json")
        .sessionFilePath("gs://b/x.json");
  }

  @Test
  void derivedDefaultsFollowTheProjectAndTheRegion() {
    LaunchSettings s = required().build();
    assertEquals("gs://p-reverse-replication/dlq", s.locations().deadLetterQueueDirectory());
    assertEquals(
        "gs://p-reverse-replication/templates/ordering.json", s.locations().orderingTemplatePath());
    assertEquals(
        "gs://p-reverse-replication/templates/writer.json", s.locations().writerTemplatePath());
    assertEquals("r1-pubsub.googleapis.com:443", s.buffer().pubSubEndpoint());
    assertEquals("i", s.spanner().metadataInstance());
    assertEquals(Emulators.NONE, s.emulators());
    assertEquals(List.of("gs://p-reverse-replication"), List.copyOf(s.locations().buckets()));
  }

  @Test
  void blankArgumentsTakeTheDefaultAndMaxWorkersFollowWorkers() {
    LaunchSettings s =
        required()
            .jobNamePrefix(" ")
            .machineType("")
            .sinkType("")
            .filtrationMode(" ")
            .orderingWorkers(3)
            .writerMaxWorkers(9)
            .tempLocation(" ")
            .build();
    assertEquals(LaunchDefaults.JOB_NAME_PREFIX, s.placement().jobNamePrefix());
    assertEquals(LaunchDefaults.MACHINE_TYPE, s.workers().machineType());
    assertEquals(BufferType.PUBSUB, s.buffer().type());
    assertEquals(FiltrationMode.FORWARD_MIGRATION, s.spanner().filtrationMode());
    assertEquals(new WorkerPool(3, 3), s.workers().ordering());
    assertEquals(new WorkerPool(5, 9), s.workers().writer());
    assertEquals(null, s.locations().tempLocation());
  }

  @Test
  void theHelpDefaultsOfTheModesAreTheirSpellings() {
    assertEquals(FiltrationMode.FORWARD_MIGRATION.wireName(), LaunchDefaults.FILTRATION_MODE);
    assertEquals(BufferType.PUBSUB.wireName(), LaunchDefaults.SINK_TYPE);
  }

  @Test
  void modesTakeAnyCaseAndArePassedOnInTheirExactSpelling() {
    LaunchSettings s =
        required()
            .sinkType("KAFKA")
            .kafkaBootstrapServers("k1:9092")
            .kafkaTopic("rr")
            .filtrationMode("None")
            .build();
    assertEquals(BufferType.KAFKA, s.buffer().type());
    assertEquals(FiltrationMode.NONE, s.spanner().filtrationMode());
    assertEquals("kafka", JobParameters.ordering(s).get("sinkType"));
    assertEquals("none", JobParameters.ordering(s).get("filtrationMode"));
    assertEquals("kafka", JobParameters.writer(s).get("bufferType"));
  }

  @Test
  void aModeOutsideItsValuesIsAUsageErrorNamingTheArgumentAndTheValues() {
    LaunchCommandTest.Run sink = LaunchCommandTest.run(QUICKSTART + " -sinkType=carrier --dry-run");
    assertEquals(2, sink.status());
    assertEquals(
        "error: rr launch: field 'sinkType': 'carrier' is not one of pubsub, kafka\n", sink.err());
    LaunchCommandTest.Run filter =
        LaunchCommandTest.run(QUICKSTART + " -filtrationMode=all --dry-run");
    assertEquals(2, filter.status());
    assertEquals(
        "error: rr launch: field 'filtrationMode': 'all' is not one of forward_migration, none\n",
        filter.err());
  }

  @Test
  void aKafkaBufferNeedsItsServersAndTopic() {
    ConfigException servers =
        assertThrows(ConfigException.class, () -> required().sinkType("kafka").build());
    assertEquals("kafkaBootstrapServers", servers.field());
    ConfigException topic =
        assertThrows(
            ConfigException.class,
            () -> required().sinkType("kafka").kafkaBootstrapServers("k:9092").build());
    assertEquals("kafkaTopic", topic.field());
  }

  @Test
  void workerCountsAreChecked() {
    ConfigException none =
        assertThrows(ConfigException.class, () -> required().orderingWorkers(0).build());
    assertEquals(
        "rr launch: field 'orderingWorkers': must be at least 1, got 0", none.getMessage());
    ConfigException below =
        assertThrows(
            ConfigException.class, () -> required().writerWorkers(4).writerMaxWorkers(2).build());
    assertEquals(
        "rr launch: field 'writerMaxWorkers': 2 is below writerWorkers 4", below.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool(3, 2));
  }

  @Test
  void templatesMustBeOnCloudStorage() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> required().writerTemplatePath("/tmp/w.json").build());
    assertEquals("writerTemplatePath", e.field());
    assertTrue(e.getMessage().contains("must be a gs:// location"), e.getMessage());
  }

  @Test
  void emulatorsAreReplacedAsAWhole() {
    LaunchSettings s = required().spannerEmulatorHost("localhost:9010").build();
    assertEquals(new Emulators("localhost:9010", null), s.emulators());
    assertEquals(Emulators.NONE, s.withEmulators(Emulators.NONE).emulators());
    assertEquals(s.spanner(), s.withEmulators(Emulators.NONE).spanner());
  }
}
