package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcloudCommandsTest {

  @Test
  void bothCommandsForTheQuickstartArguments() {
    LaunchSettings s =
        LaunchSettings.of(
            "my-project",
            "us-east1",
            "my-instance",
            "mydb",
            "gs://bucket-name/shards.json",
            "gs://bucket-name/session.json");
    assertEquals(
        "gcloud dataflow flex-template run reverse-rep-ordering --project=my-project --region=us-east1 "
            + "--template-file-gcs-location=gs://my-project-reverse-replication/templates/ordering.json "
            + "--num-workers=5 --max-workers=5 --worker-machine-type=n2-standard-4 "
            + "--parameters=changeStreamName=reverseReplicationStream,instanceId=my-instance,databaseId=mydb,"
            + "spannerProjectId=my-project,metadataInstance=my-instance,metadataDatabase=change-stream-metadata,"
            + "sessionFilePath=gs://bucket-name/session.json,sourceShardsFilePath=gs://bucket-name/shards.json,"
            + "filtrationMode=forward_migration,sinkType=pubsub,pubSubProjectId=my-project,"
            + "pubSubDataTopicId=reverse-replication,pubSubEndpoint=us-east1-pubsub.googleapis.com:443,"
            + "deadLetterQueueDirectory=gs://my-project-reverse-replication/dlq",
        GcloudCommands.render(s, JobSpec.ordering(s)));
    assertEquals(
        "gcloud dataflow flex-template run reverse-rep-writer --project=my-project --region=us-east1 "
            + "--template-file-gcs-location=gs://my-project-reverse-replication/templates/writer.json "
            + "--num-workers=5 --max-workers=5 --worker-machine-type=n2-standard-4 "
            + "--parameters=sourceShardsFilePath=gs://bucket-name/shards.json,"
            + "sessionFilePath=gs://bucket-name/session.json,bufferType=pubsub,pubSubProjectId=my-project,"
            + "pubSubEndpoint=us-east1-pubsub.googleapis.com:443,"
            + "deadLetterQueueDirectory=gs://my-project-reverse-replication/dlq,maxWorkers=5",
        GcloudCommands.render(s, JobSpec.writer(s)));
  }

  @Test
  void optionalEnvironmentFlagsAreAddedWhenGiven() {
    LaunchSettings s =
        LaunchSettings.builder()
            .projectId("p")
            .dataflowRegion("r1")
            .instanceId("i")
            .dbName("d")
            .sourceShardsFilePath("gs://b/s.json")
            .sessionFilePath("gs://b/x.json")
            .machineType("e2-standard-2")
            .orderingWorkers(3)
            .writerWorkers(2)
            .writerMaxWorkers(4)
            .network("net")
            .subnetwork("regions/r1/subnetworks/sub")
            .serviceAccount("sa@p.iam.gserviceaccount.com")
            .tempLocation("gs://b/tmp")
            .stagingLocation("gs://b/stage")
            .build();
    String cmd = GcloudCommands.render(s, JobSpec.writer(s));
    assertEquals(
        "gcloud dataflow flex-template run reverse-rep-writer --project=p --region=r1 "
            + "--template-file-gcs-location=gs://p-reverse-replication/templates/writer.json --num-workers=2 "
            + "--max-workers=4 --worker-machine-type=e2-standard-2 --network=net --subnetwork=regions/r1/subnetworks/sub "
            + "--service-account-email=sa@p.iam.gserviceaccount.com --temp-location=gs://b/tmp "
            + "--staging-location=gs://b/stage --parameters=sourceShardsFilePath=gs://b/s.json,"
            + "sessionFilePath=gs://b/x.json,bufferType=pubsub,pubSubProjectId=p,pubSubEndpoint=r1-pubsub.googleapis.com:443,"
            + "deadLetterQueueDirectory=gs://p-reverse-replication/dlq,maxWorkers=4",
        cmd);
  }

  @Test
  void valuesWithCommasSwitchDelimiterAndUnsafeCharactersAreQuoted() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kafkaBootstrapServers", "k1:9092,k2:9092");
    p.put("kafkaTopic", "rr");
    assertEquals(
        "^~^kafkaBootstrapServers=k1:9092,k2:9092~kafkaTopic=rr", GcloudCommands.parameters(p));
    assertEquals(
        "'--parameters=a=it'\\''s here'", GcloudCommands.quote("--parameters=a=it's here"));
    assertEquals("--region=us-east1", GcloudCommands.quote("--region=us-east1"));
  }
}
