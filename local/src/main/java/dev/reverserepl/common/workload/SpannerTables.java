package dev.reverserepl.common.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spanner side of a session file as the generator needs it: every Spanner table (replicated or
 * not), its columns in order, its key and its interleave parent. The source side comes from the
 * session mapping.
 */
final class SpannerTables {
  /**
   * {@code sourceType} is the source column type as the session spells it (null when not
   * replicated).
   */
  record Column(
      String name, String type, boolean array, long length, boolean notNull, String sourceType) {}

  record Table(String name, List<Column> columns, List<String> primaryKey, String parent) {
    Column column(String name) {
      for (Column c : columns) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException("no column " + name + " in " + this.name);
    }
  }

  private SpannerTables() {}

  static Map<String, Table> parse(JsonNode session) {
    JsonNode sp = session.path("SpSchema");
    JsonNode src = session.path("SrcSchema");
    Map<String, String> namesById = new LinkedHashMap<>();
    sp.fields()
        .forEachRemaining(e -> namesById.put(e.getKey(), e.getValue().path("Name").asText()));
    Map<String, Table> tables = new LinkedHashMap<>();
    sp.fields()
        .forEachRemaining(
            e -> {
              JsonNode t = e.getValue();
              JsonNode defs = t.path("ColDefs");
              List<Column> cols = new ArrayList<>();
              for (JsonNode id : t.path("ColIds")) {
                JsonNode c = defs.path(id.asText());
                JsonNode ty = c.path("T");
                JsonNode srcCol = src.path(e.getKey()).path("ColDefs").path(id.asText());
                String srcType =
                    srcCol.isMissingNode() ? null : srcCol.path("Type").path("Name").asText(null);
                cols.add(
                    new Column(
                        c.path("Name").asText(),
                        ty.path("Name").asText().toUpperCase(),
                        ty.path("IsArray").asBoolean(false),
                        ty.path("Len").asLong(0),
                        c.path("NotNull").asBoolean(false),
                        srcType));
              }
              List<JsonNode> pks = new ArrayList<>();
              t.path("PrimaryKeys").forEach(pks::add);
              pks.sort(Comparator.comparingInt(p -> p.path("Order").asInt()));
              List<String> pk = new ArrayList<>();
              for (JsonNode p : pks) {
                pk.add(defs.path(p.path("ColId").asText()).path("Name").asText());
              }
              String parentId = t.path("ParentTable").path("Id").asText("");
              String parent = parentId.isEmpty() ? null : namesById.get(parentId);
              String name = t.path("Name").asText();
              tables.put(name, new Table(name, cols, pk, parent));
            });
    return tables;
  }
}
