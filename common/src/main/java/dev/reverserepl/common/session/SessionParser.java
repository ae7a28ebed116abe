package dev.reverserepl.common.session;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns session JSON into a {@link SessionMapping}; every problem names the file, the table and the
 * field.
 */
final class SessionParser {
  /** The migration tool writes Spanner's MAX length as Long.MAX_VALUE or the string "MAX". */
  private static final long MAX = Long.MAX_VALUE;

  private final String source;

  SessionParser(String source) {
    this.source = source == null ? "<session>" : source;
  }

  SessionMapping parse(String json) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? "" : "line " + l.getLineNr() + " column " + l.getColumnNr();
      throw new ConfigException(source, where, "", "invalid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, "", "", "the session file must be a JSON object");
    }
    JsonNode sp = requireObject(root, "SpSchema", "");
    JsonNode src = requireObject(root, "SrcSchema", "");
    JsonNode synthetic = root.path("SyntheticPKeys");

    Map<String, TableMapping> tables = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean anyShardColumn = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String tableId = e.getKey();
      JsonNode spTable = e.getValue();
      String where = "SpSchema." + tableId;
      if (!spTable.isObject()) {
        throw new ConfigException(source, where, "", "table entry must be a JSON object");
      }
      String name = requireText(spTable, "Name", where);
      where = where + " (table '" + name + "')";
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw new ConfigException(source, where, "Name", "duplicate Spanner table name");
      }
      JsonNode srcTable = src.get(tableId);
      if (srcTable == null || srcTable.isNull()) {
        validateSpannerOnly(spTable, where);
        skipped.add(name);
        continue;
      }
      String syntheticColId = synthetic.path(tableId).path("ColId").asText(null);
      TableMapping t = table(tableId, name, spTable, srcTable, syntheticColId, where);
      anyShardColumn |= t.shardIdColumn() != null;
      tables.put(name, t);
    }
    boolean sharded = root.path("IsSharded").asBoolean(false) || anyShardColumn;
    return new SessionMapping(source, tables, skipped, sharded);
  }

  private void validateSpannerOnly(JsonNode spTable, String where) {
    for (String colId : colIds(spTable, where)) {
      colDef(spTable, colId, where);
    }
  }

  private TableMapping table(
      String tableId,
      String name,
      JsonNode spTable,
      JsonNode srcTable,
      String syntheticColId,
      String where) {
    String srcWhere = "SrcSchema." + tableId;
    if (!srcTable.isObject()) {
      throw new ConfigException(source, srcWhere, "", "table entry must be a JSON object");
    }
    String srcName = requireText(srcTable, "Name", srcWhere);
    srcWhere = srcWhere + " (table '" + srcName + "')";

    List<ColumnMapping> columns = new ArrayList<>();
    Map<String, String> spNameById = new LinkedHashMap<>();
    for (String colId : colIds(spTable, where)) {
      JsonNode spCol = colDef(spTable, colId, where);
      String colWhere = where + " column " + colId;
      String spName = requireText(spCol, "Name", colWhere);
      SpannerType spType = spannerType(spCol, colWhere);
      spNameById.put(colId, spName);
      JsonNode srcCol = srcTable.path("ColDefs").get(colId);
      if (srcCol == null || srcCol.isNull() || colId.equals(syntheticColId)) {
        columns.add(new ColumnMapping(spName, spType, null, null, true));
        continue;
      }
      String srcColWhere = srcWhere + " column " + colId;
      String srcColName = requireText(srcCol, "Name", srcColWhere);
      columns.add(
          new ColumnMapping(
              spName,
              spType,
              srcColName,
              sourceType(srcCol, srcColWhere),
              !srcCol.path("NotNull").asBoolean(false)));
    }
    // Source columns listed in ColIds must have definitions too, or the source PK could name a
    // ghost.
    Map<String, String> srcNameById = new LinkedHashMap<>();
    for (String colId : colIds(srcTable, srcWhere)) {
      srcNameById.put(
          colId,
          requireText(colDef(srcTable, colId, srcWhere), "Name", srcWhere + " column " + colId));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = srcTable.path("ColDefs").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      srcNameById.putIfAbsent(c.getKey(), c.getValue().path("Name").asText(c.getKey()));
    }

    List<String> spPk = primaryKey(spTable, spNameById, where);
    List<String> srcPk = primaryKey(srcTable, srcNameById, srcWhere);
    if (srcPk.isEmpty()) {
      // No source PK: the Spanner key is the only thing a delete carries, so its source columns
      // identify the row.
      for (String spCol : spPk) {
        columns.stream()
            .filter(c -> c.spannerColumn().equals(spCol) && c.replicated())
            .findFirst()
            .ifPresent(c -> srcPk.add(c.sourceColumn()));
      }
    }

    String shardColumn = null;
    JsonNode shard = spTable.get("ShardIdColumn");
    if (shard != null && !shard.isNull() && !shard.asText().isEmpty()) {
      shardColumn = spNameById.get(shard.asText());
      if (shardColumn == null) {
        throw new ConfigException(
            source,
            where,
            "ShardIdColumn",
            "column id '" + shard.asText() + "' is not a column of the table");
      }
    }
    boolean unique = hasUniqueIndex(srcTable) || hasUniqueIndex(spTable);
    return new TableMapping(name, srcName, columns, spPk, srcPk, shardColumn, unique);
  }

  private static boolean hasUniqueIndex(JsonNode table) {
    for (JsonNode idx : table.path("Indexes")) {
      if (idx.path("Unique").asBoolean(false) || idx.path("IsUnique").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private List<String> primaryKey(JsonNode table, Map<String, String> nameById, String where) {
    JsonNode pks = table.get("PrimaryKeys");
    List<String> out = new ArrayList<>();
    if (pks == null || pks.isNull()) {
      return out;
    }
    if (!pks.isArray()) {
      throw new ConfigException(source, where, "PrimaryKeys", "must be an array");
    }
    List<JsonNode> sorted = new ArrayList<>();
    pks.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(n -> n.path("Order").asLong(0)));
    for (JsonNode pk : sorted) {
      String colId = pk.path("ColId").asText("");
      String name = nameById.get(colId);
      if (name == null) {
        throw new ConfigException(
            source, where, "PrimaryKeys", "column id '" + colId + "' is not a column of the table");
      }
      out.add(name);
    }
    return out;
  }

  private List<String> colIds(JsonNode table, String where) {
    JsonNode ids = table.get("ColIds");
    if (ids == null || ids.isNull()) {
      throw new ConfigException(source, where, "ColIds", "missing");
    }
    if (!ids.isArray()) {
      throw new ConfigException(source, where, "ColIds", "must be an array of column ids");
    }
    List<String> out = new ArrayList<>();
    ids.forEach(n -> out.add(n.asText()));
    return out;
  }

  private JsonNode colDef(JsonNode table, String colId, String where) {
    JsonNode def = table.path("ColDefs").get(colId);
    if (def == null || !def.isObject()) {
      throw new ConfigException(
          source, where, "ColDefs." + colId, "column id listed in ColIds has no ColDef");
    }
    return def;
  }

  private SpannerType spannerType(JsonNode col, String where) {
    JsonNode t = col.get("T");
    if (t == null || !t.isObject()) {
      throw new ConfigException(source, where, "T", "missing Spanner type");
    }
    String name = requireText(t, "Name", where + " T");
    long len = length(t.get("Len"), where);
    return new SpannerType(name, t.path("IsArray").asBoolean(false), len == MAX ? 0 : len);
  }

  private long length(JsonNode len, String where) {
    if (len == null || len.isNull()) {
      return 0;
    }
    if (len.isIntegralNumber()) {
      return Math.max(0, len.asLong());
    }
    String s = len.asText().trim();
    if (s.equalsIgnoreCase("MAX") || s.isEmpty()) {
      return MAX;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(source, where, "Len", "not a number or MAX: '" + s + "'");
    }
  }

  private SourceType sourceType(JsonNode col, String where) {
    JsonNode type = col.get("Type");
    if (type != null && type.isObject()) {
      String name = requireText(type, "Name", where + " Type");
      List<Long> mods = new ArrayList<>();
      JsonNode m = type.get("Mods");
      if (m != null && m.isArray()) {
        for (JsonNode n : m) {
          if (!n.canConvertToLong()) {
            throw new ConfigException(source, where, "Type.Mods", "modifier is not a number: " + n);
          }
          mods.add(n.asLong());
        }
      }
      return SourceType.parse(name, mods);
    }
    // Some hand-written sessions describe source columns with a Spanner-style T{Name, Len}.
    JsonNode t = col.get("T");
    if (t != null && t.isObject()) {
      String name = requireText(t, "Name", where + " T");
      long len = length(t.get("Len"), where);
      return SourceType.parse(name, len > 0 && len != MAX ? List.of(len) : List.of());
    }
    throw new ConfigException(source, where, "Type", "missing source type");
  }

  private JsonNode requireObject(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new ConfigException(source, where, field, "missing");
    }
    if (!v.isObject()) {
      throw new ConfigException(source, where, field, "must be a JSON object");
    }
    return v;
  }

  private String requireText(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()) {
      throw new ConfigException(source, where, field, "missing or empty");
    }
    return v.asText();
  }
}
