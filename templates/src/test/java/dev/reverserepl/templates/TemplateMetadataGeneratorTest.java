package dev.reverserepl.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

class TemplateMetadataGeneratorTest {
  private static final String EXPECTED = """
      {
        "name" : "Sample",
        "description" : "A sample template.",
        "streaming" : true,
        "supportsAtLeastOnce" : false,
        "supportsExactlyOnce" : true,
        "parameters" : [ {
          "name" : "batchSize",
          "label" : "Batch size",
          "helpText" : "Rows per MySQL transaction.",
          "isOptional" : true,
          "defaultValue" : "1000",
          "paramType" : "TEXT"
        }, {
          "name" : "bufferType",
          "label" : "Buffer type",
          "helpText" : "Buffer between the jobs.",
          "isOptional" : true,
          "defaultValue" : "PUBSUB",
          "paramType" : "TEXT"
        }, {
          "name" : "filterForwardMigration",
          "label" : "Filter forward migration",
          "helpText" : "Drop changes written by the forward migration.",
          "isOptional" : true,
          "defaultValue" : "true",
          "paramType" : "TEXT"
        }, {
          "name" : "kafkaTopic",
          "label" : "Kafka topic",
          "helpText" : "Kafka topic.",
          "isOptional" : true,
          "paramType" : "TEXT"
        }, {
          "name" : "sessionFilePath",
          "label" : "Session file path",
          "helpText" : "Session file of the Spanner migration tool.",
          "isOptional" : false,
          "paramType" : "TEXT"
        }, {
          "name" : "sourceShardsFilePath",
          "label" : "Source shards file path",
          "helpText" : "Shards file.",
          "isOptional" : false,
          "paramType" : "TEXT"
        } ]
      }
      """;

  private static TemplateMetadata sample() {
    return TemplateMetadataGenerator.generate(SampleTemplateOptions.class, "Sample", "A sample template.");
  }

  @Test
  void ruleT1toT4_metadataIsDerivedFromTheOptionsInterface() {
    String json = TemplateMetadataGenerator.toJson(sample());
    System.out.println(json);
    assertEquals(EXPECTED, json);
  }

  @Test
  void checkedInFileThatMatchesHasNoDifferences() throws Exception {
    assertEquals(List.of(), TemplateMetadataGenerator.differences(sample(), TemplateMetadataGenerator.parse(EXPECTED)));
  }

  @Test
  void everyKindOfDisagreementIsReported() throws Exception {
    TemplateMetadata generated = sample();
    List<TemplateParameter> edited = new ArrayList<>();
    for (TemplateParameter p : generated.parameters()) {
      switch (p.name()) {
        case "batchSize" -> edited.add(new TemplateParameter(p.name(), p.label(), p.helpText(), true, "500",
            "TEXT"));
        case "sessionFilePath" -> edited.add(new TemplateParameter(p.name(), p.label(), p.helpText(), true, null,
            "TEXT"));
        case "kafkaTopic" -> edited.add(new TemplateParameter(p.name(), p.label(), "Old help.", true, null,
            "TEXT"));
        case "bufferType" -> edited.add(new TemplateParameter("buffer", p.label(), p.helpText(), true, "PUBSUB",
            "TEXT"));
        default -> edited.add(p);
      }
    }
    TemplateMetadata checkedIn = new TemplateMetadata(generated.name(), generated.description(), true, false, true,
        edited);
    List<String> diffs = TemplateMetadataGenerator.differences(generated, checkedIn);
    diffs.forEach(System.out::println);
    assertEquals(List.of(
        "option 'bufferType' has no metadata parameter",
        "metadata parameter 'buffer' is not an option of the pipeline",
        "batchSize: defaultValue is \"500\" in metadata.json but \"1000\" in the options",
        "kafkaTopic: helpText is \"Old help.\" in metadata.json but \"Kafka topic.\" in the options",
        "sessionFilePath: isOptional (required) is true in metadata.json but false in the options"), diffs);
  }

  interface Undocumented extends PipelineOptions {
    String getThing();

    void setThing(String value);
  }

  interface Documented extends PipelineOptions {
    @Description("x")
    String getThing();

    void setThing(String value);
  }

  @Test
  void optionWithoutDescriptionIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TemplateMetadataGenerator.generate(Undocumented.class, "x", "y"));
    assertEquals(Undocumented.class.getName() + ".getThing has no @Description: it would be a template parameter "
        + "without help text", e.getMessage());
    assertEquals(1, TemplateMetadataGenerator.generate(Documented.class, "x", "y").parameters().size());
  }

  @Test
  void labelsAreTheNameInWords() {
    assertEquals("Source shards file path", TemplateMetadataGenerator.label("sourceShardsFilePath"));
    assertEquals("Pub sub data topic id", TemplateMetadataGenerator.label("pubSubDataTopicId"));
  }
}
