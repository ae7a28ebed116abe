package dev.reverserepl.common.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.convert.ValueConversionException;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a Spanner {@link Change} into a {@link RowChange} for the source table. Rules T1..T6 in the
 * module README:
 *
 * <ol>
 *   <li>A table with no source table is {@code Skipped} with the reason, never failed or dropped
 *       silently.
 *   <li>Key values come from {@code keysJson}, other values from {@code newValuesJson}; a key
 *       column present in both takes the {@code keysJson} value.
 *   <li>Spanner columns without a source column (e.g. the shard-id column) and columns unknown to
 *       the session are not written.
 *   <li>Columns are in the session's column order, whatever the order of the JSON, so rows of one
 *       table line up.
 *   <li>Deletes carry only the source primary key, read from {@code keysJson}.
 *   <li>A value that cannot be converted, a missing key column or malformed JSON is {@code Failed}
 *       with a reason naming the table and column.
 * </ol>
 */
public final class ChangeTranslator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SessionMapping session;
  private final MySqlValueConverter converter;

  public ChangeTranslator(SessionMapping session, MySqlValueConverter converter) {
    this.session = Objects.requireNonNull(session, "session");
    this.converter = Objects.requireNonNull(converter, "converter");
  }

  public TranslationResult translate(Change change) {
    Optional<TableMapping> mapping = session.table(change.table());
    if (mapping.isEmpty()) {
      return new TranslationResult.Skipped(
          session.isSkippedTable(change.table())
              ? "table " + change.table() + " has no source table"
              : "table " + change.table() + " is not in the session file");
    }
    TableMapping table = mapping.get();
    JsonNode keys;
    JsonNode newValues;
    try {
      keys = object(change.keysJson(), "keysJson");
      newValues = object(change.newValuesJson(), "newValuesJson");
    } catch (IllegalArgumentException e) {
      return failed(table, e.getMessage());
    }
    try {
      return new TranslationResult.Translated(
          change.kind().isDelete()
              ? delete(change, table, keys)
              : upsert(change, table, keys, newValues));
    } catch (ValueConversionException e) {
      return failed(table, e.getMessage());
    } catch (MissingKeyException e) {
      return failed(table, e.getMessage());
    }
  }

  private RowChange upsert(Change change, TableMapping table, JsonNode keys, JsonNode newValues)
      throws ValueConversionException, MissingKeyException {
    List<String> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (ColumnMapping c : table.replicatedColumns()) {
      JsonNode value = field(keys, c.spannerColumn());
      if (value == null) {
        value = field(newValues, c.spannerColumn());
      }
      if (value == null) {
        continue; // not in the change: leave the source column as it is
      }
      columns.add(c.sourceColumn());
      values.add(converter.toJdbc(value, c));
    }
    List<Object> keyValues = new ArrayList<>();
    for (String k : table.sourcePrimaryKey()) {
      int i = indexOfIgnoreCase(columns, k);
      if (i < 0) {
        throw new MissingKeyException(
            "column '"
                + k
                + "' of the source primary key is missing from the "
                + change.kind().name().toLowerCase()
                + " (keysJson and newValuesJson)");
      }
      keyValues.add(values.get(i));
    }
    return new RowChange(
        table.sourceTable(), change.kind(), columns, values, table.sourcePrimaryKey(), keyValues);
  }

  private RowChange delete(Change change, TableMapping table, JsonNode keys)
      throws ValueConversionException, MissingKeyException {
    List<Object> keyValues = new ArrayList<>();
    for (String k : table.sourcePrimaryKey()) {
      ColumnMapping c =
          table
              .sourceColumn(k)
              .orElseThrow(
                  () ->
                      new MissingKeyException(
                          "source primary key column '"
                              + k
                              + "' has no Spanner column in the session"));
      JsonNode value = field(keys, c.spannerColumn());
      if (value == null) {
        throw new MissingKeyException(
            "column '"
                + c.spannerColumn()
                + "' of the source primary key is missing "
                + "from keysJson of the delete");
      }
      keyValues.add(converter.toJdbc(value, c));
    }
    return new RowChange(
        table.sourceTable(),
        change.kind(),
        List.of(),
        List.of(),
        table.sourcePrimaryKey(),
        keyValues);
  }

  private static TranslationResult failed(TableMapping table, String problem) {
    return new TranslationResult.Failed(
        "table " + table.spannerTable() + " -> " + table.sourceTable() + ": " + problem);
  }

  private static JsonNode object(String json, String field) {
    JsonNode node;
    try {
      node = Json.parse(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " is not a JSON object");
    }
    return node;
  }

  /** A field by exact name, else case-insensitively (Spanner column names are case-insensitive). */
  private static JsonNode field(JsonNode object, String name) {
    JsonNode v = object.get(name);
    if (v != null) {
      return v;
    }
    var it = object.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static int indexOfIgnoreCase(List<String> list, String value) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).equalsIgnoreCase(value)) {
        return i;
      }
    }
    return -1;
  }

  /** A change that lacks a column of the source primary key. */
  private static final class MissingKeyException extends Exception {
    MissingKeyException(String message) {
      super(message);
    }
  }
}
