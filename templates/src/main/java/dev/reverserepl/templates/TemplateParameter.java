package dev.reverserepl.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.reverserepl.templates.spec.EnumOption;
import java.util.List;

/**
 * One parameter of a Flex Template's {@code metadata.json}; {@code defaultValue} is absent when
 * there is none, and {@code enumOptions} / {@code regexes} when empty.
 */
@JsonPropertyOrder({
  "name",
  "label",
  "helpText",
  "isOptional",
  "defaultValue",
  "paramType",
  "enumOptions",
  "regexes"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateParameter(
    String name,
    String label,
    String helpText,
    boolean isOptional,
    String defaultValue,
    String paramType,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EnumOption> enumOptions,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> regexes) {
  public TemplateParameter {
    enumOptions = enumOptions == null ? List.of() : List.copyOf(enumOptions);
    regexes = regexes == null ? List.of() : List.copyOf(regexes);
  }

  /** A copy with another help text (tests of the drift report). */
  public TemplateParameter withHelpText(String value) {
    return new TemplateParameter(
        name, label, value, isOptional, defaultValue, paramType, enumOptions, regexes);
  }
}
