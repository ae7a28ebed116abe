package dev.reverserepl.templates.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One choice of an {@code ENUM} parameter: the value passed to the pipeline and what the Console
 * shows.
 */
@JsonPropertyOrder({"value", "label", "description"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnumOption(String value, String label, String description) {
  public EnumOption {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(label, "label");
  }
}
