package dev.reverserepl.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One parameter of a Flex Template's {@code metadata.json}; {@code defaultValue} is absent when there is none. */
@JsonPropertyOrder({"name", "label", "helpText", "isOptional", "defaultValue", "paramType"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateParameter(String name, String label, String helpText, boolean isOptional, String defaultValue,
    String paramType) {}
