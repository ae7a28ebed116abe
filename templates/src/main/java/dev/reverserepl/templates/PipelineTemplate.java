package dev.reverserepl.templates;

import dev.reverserepl.templates.spec.ParameterSpec;
import dev.reverserepl.templates.spec.ParameterSpecs;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The two Flex Templates: where their metadata lives (relative to the templates module), the
 * Options interface it is generated from and the main class the template image runs. Classes are
 * named, not referenced, so this module can describe a pipeline whose options are still being
 * written.
 */
public enum PipelineTemplate {
  ORDERING(
      "ordering",
      "dev.reverserepl.ordering.options.OrderingOptions",
      "dev.reverserepl.ordering.OrderingPipeline",
      "Reverse replication: ordering",
      "Reads a Spanner change stream (NEW_ROW), orders each shard's changes and publishes them to Pub/Sub or Kafka "
          + "for the writer.",
      ParameterSpecs::ordering),
  WRITER(
      "writer",
      "dev.reverserepl.writer.options.WriterOptions",
      "dev.reverserepl.writer.WriterPipeline",
      "Reverse replication: writer",
      "Reads the ordered changes of each shard and applies them to the source MySQL shards, exactly once and in "
          + "order.",
      ParameterSpecs::writer);

  private final String directory;
  private final String optionsClass;
  private final String mainClass;
  private final String title;
  private final String description;
  private final Supplier<Map<String, ParameterSpec>> specs;

  PipelineTemplate(
      String directory,
      String optionsClass,
      String mainClass,
      String title,
      String description,
      Supplier<Map<String, ParameterSpec>> specs) {
    this.specs = specs;
    this.directory = directory;
    this.optionsClass = optionsClass;
    this.mainClass = mainClass;
    this.title = title;
    this.description = description;
  }

  public String directory() {
    return directory;
  }

  public String optionsClass() {
    return optionsClass;
  }

  public String mainClass() {
    return mainClass;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  /** The person-written labels, types and patterns of its parameters. */
  public Map<String, ParameterSpec> specs() {
    return specs.get();
  }

  /** {@code <directory>/metadata.json}, relative to the templates module. */
  public String metadataPath() {
    return directory + "/metadata.json";
  }
}
