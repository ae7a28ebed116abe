package dev.reverserepl.templates;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A Flex Template's {@code metadata.json}. */
@JsonPropertyOrder({
  "name",
  "description",
  "streaming",
  "supportsAtLeastOnce",
  "supportsExactlyOnce",
  "parameters"
})
public record TemplateMetadata(
    String name,
    String description,
    boolean streaming,
    boolean supportsAtLeastOnce,
    boolean supportsExactlyOnce,
    List<TemplateParameter> parameters) {
  public TemplateMetadata {
    parameters = List.copyOf(parameters);
  }
}
