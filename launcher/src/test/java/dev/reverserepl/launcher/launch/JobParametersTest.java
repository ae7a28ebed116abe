package dev.reverserepl.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Every launch parameter is an option of the pipeline it is passed to, with a value the pipeline
 * accepts.
 */
class JobParametersTest {
  private static final LaunchSettings SETTINGS =
      LaunchSettings.of(
          "my-project",
          "us-east1",
          "my-instance",
          "mydb",
          "gs://bucket-name/shards.json",
          "gs://bucket-name/session.json");

  @Test
  void writerParametersAreWriterOptions() throws Exception {
    check("dev.reverserepl.writer.options.WriterOptions", JobParameters.writer(SETTINGS));
  }

  @Test
  void orderingParametersAreOrderingOptions() throws Exception {
    check("dev.reverserepl.ordering.options.OrderingOptions", JobParameters.ordering(SETTINGS));
  }

  @Test
  void theOrderingJobWritesRoutingDeadLettersToTheWritersDeadLetterDirectory() {
    assertEquals(
        JobParameters.writer(SETTINGS).get("deadLetterQueueDirectory"),
        JobParameters.ordering(SETTINGS).get("deadLetterQueueDirectory"));
    assertEquals(
        "gs://my-project-reverse-replication/dlq",
        JobParameters.ordering(SETTINGS).get("deadLetterQueueDirectory"));
  }

  @SuppressWarnings("unchecked")
  private static void check(String optionsClass, Map<String, String> parameters) throws Exception {
    Class<? extends PipelineOptions> type;
    type = (Class<? extends PipelineOptions>) Class.forName(optionsClass);
    List<String> args = new ArrayList<>();
    parameters.forEach((k, v) -> args.add("--" + k + "=" + v));
    // strict parsing: an unknown option name or an unparsable value throws, naming it
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(type);
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      Object value =
          type.getMethod(
                  "get" + Character.toUpperCase(p.getKey().charAt(0)) + p.getKey().substring(1))
              .invoke(options);
      assertEquals(p.getValue(), String.valueOf(value), p.getKey());
    }
    System.out.println(optionsClass + " accepts " + parameters.keySet());
  }
}
