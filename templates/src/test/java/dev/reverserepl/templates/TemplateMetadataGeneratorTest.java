package dev.reverserepl.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reverserepl.templates.spec.EnumOption;
import dev.reverserepl.templates.spec.ParamType;
import dev.reverserepl.templates.spec.ParameterSpec;
import dev.reverserepl.templates.spec.Patterns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

class TemplateMetadataGeneratorTest {
  private static final String EXPECTED =
      """
      {
        "name" : "Sample",
        "description" : "A sample template.",
        "streaming" : true,
        "supportsAtLeastOnce" : false,
        "supportsExactlyOnce" : true,
        "parameters" : [ {
          "name" : "batchSize",
          "label" : "Changes per transaction",
          "helpText" : "Rows per MySQL transaction.",
          "isOptional" : true,
          "defaultValue" : "1000",
          "paramType" : "NUMBER"
        }, {
          "name" : "bufferType",
          "label" : "Buffer",
          "helpText" : "Buffer between the jobs.",
          "isOptional" : true,
          "defaultValue" : "PUBSUB",
          "paramType" : "ENUM",
          "enumOptions" : [ {
            "value" : "PUBSUB",
            "label" : "Pub/Sub"
          }, {
            "value" : "KAFKA",
            "label" : "Kafka",
            "description" : "A Kafka topic."
          } ]
        }, {
          "name" : "filterForwardMigration",
          "label" : "Drop forward-migration writes",
          "helpText" : "Drop changes written by the forward migration.",
          "isOptional" : true,
          "defaultValue" : "true",
          "paramType" : "BOOLEAN"
        }, {
          "name" : "instanceId",
          "label" : "Spanner instance",
          "helpText" : "Spanner instance.",
          "isOptional" : false,
          "paramType" : "TEXT",
          "regexes" : [ "^[a-z][-a-z0-9]{0,62}[a-z0-9]$" ]
        }, {
          "name" : "kafkaTopic",
          "label" : "Kafka topic",
          "helpText" : "Kafka topic.",
          "isOptional" : true,
          "paramType" : "TEXT"
        }, {
          "name" : "sessionFilePath",
          "label" : "Session file",
          "helpText" : "Session file of the Spanner migration tool.",
          "isOptional" : false,
          "paramType" : "GCS_READ_FILE",
          "regexes" : [ "^gs://[^/]+/.+$" ]
        }, {
          "name" : "sourceShardsFilePath",
          "label" : "Shards file",
          "helpText" : "Shards file.",
          "isOptional" : false,
          "paramType" : "TEXT"
        } ]
      }
      """;

  static Map<String, ParameterSpec> specs() {
    Map<String, ParameterSpec> m = new LinkedHashMap<>();
    m.put(
        "sessionFilePath",
        ParameterSpec.of("Session file").withType(ParamType.GCS_READ_FILE).withRegex(Patterns.GCS));
    m.put("sourceShardsFilePath", ParameterSpec.of("Shards file"));
    m.put("batchSize", ParameterSpec.of("Changes per transaction"));
    m.put("filterForwardMigration", ParameterSpec.of("Drop forward-migration writes"));
    m.put(
        "bufferType",
        ParameterSpec.of("Buffer")
            .withChoices(
                new EnumOption("PUBSUB", "Pub/Sub", null),
                new EnumOption("KAFKA", "Kafka", "A Kafka topic.")));
    m.put("kafkaTopic", ParameterSpec.of("Kafka topic"));
    m.put(
        "instanceId",
        ParameterSpec.of("Spanner instance").withRegex(Patterns.SPANNER_INSTANCE).required());
    m.put("emulatorHost", ParameterSpec.local());
    return m;
  }

  private static TemplateMetadata sample() {
    return TemplateMetadataGenerator.generate(
        SampleTemplateOptions.class, "Sample", "A sample template.", specs());
  }

  @Test
  void ruleT1toT7_metadataIsDerivedFromTheOptionsAndTheParameterTable() {
    String json = TemplateMetadataGenerator.toJson(sample());
    System.out.println(json);
    assertEquals(EXPECTED, json);
  }

  @Test
  void ruleT5_everyOptionNeedsATableEntryAndEveryEntryAnOption() {
    Map<String, ParameterSpec> missing = specs();
    missing.remove("kafkaTopic");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateMetadataGenerator.generate(SampleTemplateOptions.class, "x", "y", missing));
    assertEquals(
        SampleTemplateOptions.class.getName()
            + ".getKafkaTopic: option 'kafkaTopic' has no entry in the "
            + "template's ParameterSpecs table (label, type, patterns, or local())",
        e.getMessage());
    Map<String, ParameterSpec> extra = specs();
    extra.put("kafkaTopics", ParameterSpec.of("Kafka topics"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemplateMetadataGenerator.generate(SampleTemplateOptions.class, "x", "y", extra));
    assertEquals(
        "ParameterSpecs names 'kafkaTopics', which is not an option of "
            + SampleTemplateOptions.class.getName(),
        e.getMessage());
  }

  @Test
  void ruleT6T7_aDefaultOutsideTheChoicesOrPatternsIsAnError() {
    Map<String, ParameterSpec> badChoice = specs();
    badChoice.put(
        "bufferType",
        ParameterSpec.of("Buffer").withChoices(new EnumOption("KAFKA", "Kafka", null)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateMetadataGenerator.generate(
                    SampleTemplateOptions.class, "x", "y", badChoice));
    assertEquals(
        "SampleTemplateOptions.bufferType: default 'PUBSUB' is not one of its enumOptions",
        e.getMessage());
    Map<String, ParameterSpec> badPattern = specs();
    badPattern.put(
        "batchSize", ParameterSpec.of("Changes per transaction").withRegex("^[0-9]{1,3}$"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateMetadataGenerator.generate(
                    SampleTemplateOptions.class, "x", "y", badPattern));
    assertEquals(
        "SampleTemplateOptions.batchSize: default '1000' does not match ^[0-9]{1,3}$",
        e.getMessage());
  }

  @Test
  void checkedInFileThatMatchesHasNoDifferences() throws Exception {
    assertEquals(
        List.of(),
        TemplateMetadataGenerator.differences(sample(), TemplateMetadataGenerator.parse(EXPECTED)));
  }

  @Test
  void everyKindOfDisagreementIsReported() throws Exception {
    TemplateMetadata generated = sample();
    List<TemplateParameter> edited = new ArrayList<>();
    for (TemplateParameter p : generated.parameters()) {
      switch (p.name()) {
        case "batchSize" ->
            edited.add(
                new TemplateParameter(
                    p.name(), p.label(), p.helpText(), true, "500", "NUMBER", null, null));
        case "sessionFilePath" ->
            edited.add(
                new TemplateParameter(
                    p.name(), p.label(), p.helpText(), true, null, "TEXT", null, List.of()));
        case "kafkaTopic" -> edited.add(p.withHelpText("Old help."));
        case "bufferType" ->
            edited.add(
                new TemplateParameter(
                    "buffer",
                    p.label(),
                    p.helpText(),
                    true,
                    "PUBSUB",
                    "ENUM",
                    p.enumOptions(),
                    null));
        default -> edited.add(p);
      }
    }
    TemplateMetadata checkedIn =
        new TemplateMetadata(generated.name(), generated.description(), true, false, true, edited);
    List<String> diffs = TemplateMetadataGenerator.differences(generated, checkedIn);
    diffs.forEach(System.out::println);
    assertEquals(
        List.of(
            "option 'bufferType' has no metadata parameter",
            "metadata parameter 'buffer' is not an option of the pipeline",
            "batchSize: defaultValue is \"500\" in metadata.json but \"1000\" in the options",
            "kafkaTopic: helpText is \"Old help.\" in metadata.json but \"Kafka topic.\" in the options",
            "sessionFilePath: isOptional (required) is true in metadata.json but false in the options",
            "sessionFilePath: paramType is \"TEXT\" in metadata.json but \"GCS_READ_FILE\" in the options",
            "sessionFilePath: regexes is [] in metadata.json but [^gs://[^/]+/.+$] in the options"),
        diffs);
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
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemplateMetadataGenerator.generate(Undocumented.class, "x", "y", thing()));
    assertEquals(
        Undocumented.class.getName()
            + ".getThing has no @Description: it would be a template parameter "
            + "without help text",
        e.getMessage());
    assertEquals(
        1,
        TemplateMetadataGenerator.generate(Documented.class, "x", "y", thing())
            .parameters()
            .size());
  }

  private static Map<String, ParameterSpec> thing() {
    return Map.of("thing", ParameterSpec.of("Thing"));
  }
}
