package dev.reverserepl.common.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.json.Json;

/**
 * json: the change stream delivers a JSON column as a string holding the document; it must parse
 * and is bound unchanged. ARRAY values and JSON objects given inline are written as their JSON
 * text.
 */
final class JsonType implements MySqlType {
  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (in.isArray() || in.node().isContainerNode()) {
      return in.node().toString();
    }
    if (!(in.is("JSON") || in.is("STRING"))) {
      throw in.unsupported();
    }
    String text = in.text();
    JsonNode parsed;
    try {
      parsed =
          Json.mapper()
              .reader()
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(text);
    } catch (JsonProcessingException e) {
      throw in.fail("not valid JSON", e);
    }
    if (parsed == null || parsed.isMissingNode()) {
      throw in.fail("not valid JSON");
    }
    return text;
  }
}
