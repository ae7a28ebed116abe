package dev.reverserepl.common.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SourceType;
import java.time.ZoneOffset;
import java.util.List;

/** One value to convert, with its column and the settings a type needs. */
record ConversionInput(JsonNode node, ColumnMapping column, ZoneOffset sourceOffset) {

  String spannerType() {
    return column.spannerType().name();
  }

  boolean isArray() {
    return column.spannerType().array();
  }

  boolean is(String spannerTypeName) {
    return !isArray() && spannerType().equals(spannerTypeName);
  }

  SourceType target() {
    return column.sourceType();
  }

  /**
   * The i-th numeric modifier of the MySQL type, or {@code fallback} when absent or not positive.
   */
  long mod(int i, long fallback) {
    List<Long> mods = target().mods();
    return i < mods.size() && mods.get(i) != null && mods.get(i) > 0 ? mods.get(i) : fallback;
  }

  boolean hasMod(int i) {
    return mod(i, -1) > 0;
  }

  /** The value as text: a JSON string's content, or a number's / boolean's literal. */
  String text() throws ValueConversionException {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    throw fail("expected a scalar, got JSON " + node.getNodeType().name().toLowerCase());
  }

  ValueConversionException fail(String problem) {
    return fail(problem, null);
  }

  ValueConversionException fail(String problem, Throwable cause) {
    String name =
        column.sourceColumn() == null || column.sourceColumn().equals(column.spannerColumn())
            ? column.spannerColumn()
            : column.spannerColumn() + "' -> '" + column.sourceColumn();
    String value = node.isTextual() ? "\"" + node.textValue() + "\"" : node.toString();
    return new ValueConversionException(
        name, column.spannerType() + " -> " + target(), value, problem, cause);
  }

  ValueConversionException unsupported() {
    return fail(
        "no conversion from Spanner " + column.spannerType() + " to MySQL " + target().name());
  }
}
