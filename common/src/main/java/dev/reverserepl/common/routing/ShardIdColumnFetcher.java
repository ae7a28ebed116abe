package dev.reverserepl.common.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.TableMapping;
import java.io.IOException;
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
   * A non-empty string or number under {@code column} (exact name first, then case-insensitive), as
   * its tree would give it, read token by token: routing looks at every change's keys, and building
   * their tree was most of its cost.
   */
  static Optional<String> valueOf(String json, String column) {
    if (json == null || json.isEmpty()) {
      return Optional.empty();
    }
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      String exact = null;
      boolean exactSeen = false;
      String insensitive = null;
      boolean insensitiveSeen = false;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        p.nextToken();
        boolean isExact = name.equals(column);
        boolean isInsensitive = !insensitiveSeen && name.equalsIgnoreCase(column);
        if (isExact || isInsensitive) {
          String v = scalarText(p);
          if (isExact) {
            exact = v;
            exactSeen = true;
          } else {
            insensitive = v;
            insensitiveSeen = true;
          }
        } else {
          p.skipChildren();
        }
      }
      String v = exactSeen ? exact : insensitive;
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A string's text or a number's as its tree node prints it; null for anything else. */
  private static String scalarText(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue().toString();
      default -> {
        p.skipChildren();
        yield null;
      }
    };
  }
}
