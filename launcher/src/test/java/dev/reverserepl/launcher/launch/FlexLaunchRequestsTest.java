package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;
import dev.reverserepl.common.json.Json;
import org.junit.jupiter.api.Test;

class FlexLaunchRequestsTest {

  private static String json(LaunchFlexTemplateRequest r) throws Exception {
    return GsonFactory.getDefaultInstance().toString(r);
  }

  @Test
  void orderingRequestCarriesNameTemplateWorkersMachineAndPipelineOptions() throws Exception {
    LaunchSettings s =
        LaunchSettings.of(
            "my-project",
            "us-east1",
            "my-instance",
            "mydb",
            "gs://bucket-name/shards.json",
            "gs://bucket-name/session.json");
    String expected =
        """
        {"launchParameter": {
          "jobName": "reverse-rep-ordering",
          "containerSpecGcsPath": "gs://my-project-reverse-replication/templates/ordering.json",
          "environment": {"numWorkers": 5, "maxWorkers": 5, "machineType": "n2-standard-4"},
          "parameters": {
            "changeStreamName": "reverseReplicationStream",
            "instanceId": "my-instance",
            "databaseId": "mydb",
            "spannerProjectId": "my-project",
            "metadataInstance": "my-instance",
            "metadataDatabase": "change-stream-metadata",
            "sessionFilePath": "gs://bucket-name/session.json",
            "sourceShardsFilePath": "gs://bucket-name/shards.json",
            "filtrationMode": "forward_migration",
            "sinkType": "pubsub",
            "pubSubProjectId": "my-project",
            "pubSubDataTopicId": "reverse-replication",
            "pubSubEndpoint": "us-east1-pubsub.googleapis.com:443",
            "deadLetterQueueDirectory": "gs://my-project-reverse-replication/dlq"}},
         "validateOnly": false}""";
    String actual = json(FlexLaunchRequests.build(s, JobSpec.ordering(s)));
    System.out.println("ordering launch request: " + actual);
    assertEquals(Json.parse(expected), Json.parse(actual));
  }

  @Test
  void writerRequestCarriesEnvironmentOverridesAndWriterOptions() throws Exception {
    LaunchSettings s =
        LaunchSettings.builder()
            .projectId("my-project")
            .dataflowRegion("us-east1")
            .jobNamePrefix("Rev-REP")
            .changeStreamName("mystream")
            .instanceId("my-instance")
            .dbName("mydb")
            .metadataInstance("meta-instance")
            .metadataDatabase("stream-metadb")
            .startTimestamp("2024-05-01T10:00:00Z")
            .pubSubDataTopicId("my-topic")
            .pubSubEndpoint("pubsub.googleapis.com:443")
            .sourceShardsFilePath("gs://b/shards.json")
            .sessionFilePath("gs://b/session.json")
            .machineType("e2-standard-2")
            .orderingWorkers(10)
            .writerWorkers(8)
            .orderingMaxWorkers(20)
            .network("my-net")
            .subnetwork("regions/us-east1/subnetworks/my-sub")
            .serviceAccount("rr@my-project.iam.gserviceaccount.com")
            .filtrationMode("none")
            .sinkType("pubsub")
            .deadLetterQueueDirectory("gs://b/dlq")
            .orderingTemplatePath("gs://t/ordering.json")
            .writerTemplatePath("gs://t/writer.json")
            .tempLocation("gs://b/tmp")
            .stagingLocation("gs://b/staging")
            .build();
    String expected =
        """
        {"launchParameter": {
          "jobName": "rev-rep-writer",
          "containerSpecGcsPath": "gs://t/writer.json",
          "environment": {"numWorkers": 8, "maxWorkers": 8, "machineType": "e2-standard-2",
            "network": "my-net", "subnetwork": "regions/us-east1/subnetworks/my-sub",
            "serviceAccountEmail": "rr@my-project.iam.gserviceaccount.com",
            "tempLocation": "gs://b/tmp", "stagingLocation": "gs://b/staging"},
          "parameters": {
            "sourceShardsFilePath": "gs://b/shards.json",
            "sessionFilePath": "gs://b/session.json",
            "bufferType": "pubsub",
            "pubSubProjectId": "my-project",
            "pubSubEndpoint": "pubsub.googleapis.com:443",
            "deadLetterQueueDirectory": "gs://b/dlq",
            "maxWorkers": "8"}},
         "validateOnly": false}""";
    String actual = json(FlexLaunchRequests.build(s, JobSpec.writer(s)));
    System.out.println("writer launch request: " + actual);
    assertEquals(Json.parse(expected), Json.parse(actual));
    LaunchFlexTemplateRequest ordering = FlexLaunchRequests.build(s, JobSpec.ordering(s));
    assertEquals("rev-rep-ordering", ordering.getLaunchParameter().getJobName());
    assertEquals(10, ordering.getLaunchParameter().getEnvironment().getNumWorkers());
    assertEquals(20, ordering.getLaunchParameter().getEnvironment().getMaxWorkers());
    assertEquals(
        "2024-05-01T10:00:00Z",
        ordering.getLaunchParameter().getParameters().get("startTimestamp"));
    assertEquals("none", ordering.getLaunchParameter().getParameters().get("filtrationMode"));
    assertEquals(
        "meta-instance", ordering.getLaunchParameter().getParameters().get("metadataInstance"));
  }

  @Test
  void kafkaSinkPassesBootstrapServersAndTopicInsteadOfPubSub() throws Exception {
    LaunchSettings s =
        LaunchSettings.builder()
            .projectId("p")
            .dataflowRegion("us-east1")
            .instanceId("i")
            .dbName("d")
            .sourceShardsFilePath("/tmp/shards.json")
            .sessionFilePath("/tmp/session.json")
            .sinkType("kafka")
            .kafkaBootstrapServers("k1:9092,k2:9092")
            .kafkaTopic("rr")
            .build();
    var ordering =
        FlexLaunchRequests.build(s, JobSpec.ordering(s)).getLaunchParameter().getParameters();
    var writer =
        FlexLaunchRequests.build(s, JobSpec.writer(s)).getLaunchParameter().getParameters();
    assertEquals("k1:9092,k2:9092", ordering.get("kafkaBootstrapServers"));
    assertEquals("kafka", writer.get("bufferType"));
    assertEquals(null, ordering.get("pubSubDataTopicId"));
  }
}
