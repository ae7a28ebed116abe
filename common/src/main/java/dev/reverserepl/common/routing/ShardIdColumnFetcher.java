package dev.reverserepl.common.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.TableMapping;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in fetcher: the value of the table's shard-id column, from the keys first, then the new
 * values.
 */
public final class ShardIdColumnFetcher implements ShardIdFetcher {
  private static final long serialVersionUID = 1L;

  @Override
  public Optional<String> shardIdFor(Change change, TableMapping table) {
    String column = table.shardIdColumn();
    if (column == null) {
      return Optional.empty();
    }
    Optional<String> fromKeys = valueOf(change.keysJson(), column);
    return fromKeys.isPresent() ? fromKeys : valueOf(change.newValuesJson(), column);
  }

  /**
   * A non-empty string or number under {@code column} (exact name first, then case-insensitive).
   */
  static Optional<String> valueOf(String json, String column) {
    if (json == null || json.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = Json.parse(json);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    JsonNode v = node.get(column);
    if (v == null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equalsIgnoreCase(column)) {
          v = e.getValue();
          break;
        }
      }
    }
    if (v == null || !(v.isTextual() || v.isNumber()) || v.asText().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }
}
