package dev.reverserepl.ordering.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.ByteArray;
import com.google.cloud.Date;
import com.google.cloud.NoCredentials;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.TimestampBound;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.ColumnMapping;
import dev.reverserepl.common.session.TableMapping;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds the shard of a deleted row by reading its shard-id column from Spanner as it was 1 µs
 * before the delete committed — the row still existed then. Used when a delete's keys do not carry
 * the shard-id column.
 */
public final class StaleReadShardFetcher implements StaleRead {
  private final Spanner spanner;
  private final DatabaseClient client;

  private StaleReadShardFetcher(Spanner spanner, DatabaseClient client) {
    this.spanner = spanner;
    this.client = client;
  }

  public static StaleReadShardFetcher open(SpannerCoordinates where) {
    SpannerOptions.Builder b = SpannerOptions.newBuilder().setProjectId(where.projectId());
    if (where.emulatorHost() != null && !where.emulatorHost().isEmpty()) {
      b.setEmulatorHost(where.emulatorHost()).setCredentials(NoCredentials.getInstance());
    }
    Spanner spanner = b.build().getService();
    return new StaleReadShardFetcher(
        spanner,
        spanner.getDatabaseClient(
            DatabaseId.of(where.projectId(), where.instanceId(), where.databaseId())));
  }

  /**
   * The shard id the row held just before {@code change} committed, or null when it cannot be read.
   */
  @Override
  public String shardAt(Change change, TableMapping table) {
    if (table.shardIdColumn() == null) {
      return null;
    }
    JsonNode keys;
    try {
      keys = Json.parse(change.keysJson());
    } catch (Exception e) {
      return null;
    }
    StringBuilder sql =
        new StringBuilder("SELECT `")
            .append(table.shardIdColumn())
            .append("` FROM `")
            .append(table.spannerTable())
            .append("` WHERE ");
    Statement.Builder st = Statement.newBuilder("");
    int i = 0;
    Iterator<Map.Entry<String, JsonNode>> it = keys.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (i > 0) {
        sql.append(" AND ");
      }
      String p = "k" + i++;
      sql.append('`').append(e.getKey()).append("` = @").append(p);
      ColumnMapping col = table.column(e.getKey()).orElse(null);
      bind(st, p, col == null ? "STRING" : col.spannerType().name(), e.getValue());
    }
    Statement statement = rebuild(st, sql.toString());
    Timestamp before =
        Timestamp.ofTimeSecondsAndNanos(
            Math.floorDiv(change.position().commitNanos() - 1_000, 1_000_000_000L),
            (int) Math.floorMod(change.position().commitNanos() - 1_000, 1_000_000_000L));
    try (ResultSet rs =
        client.singleUse(TimestampBound.ofReadTimestamp(before)).executeQuery(statement)) {
      if (rs.next() && !rs.isNull(0)) {
        return rs.getString(0);
      }
      return null;
    }
  }

  private static Statement rebuild(Statement.Builder withParams, String sql) {
    Statement params = withParams.build();
    Statement.Builder b = Statement.newBuilder(sql);
    params.getParameters().forEach((k, v) -> b.bind(k).to(v));
    return b.build();
  }

  private static void bind(Statement.Builder st, String name, String type, JsonNode v) {
    if (v == null || v.isNull()) {
      st.bind(name).to((String) null);
      return;
    }
    switch (type) {
      case "INT64" -> st.bind(name).to(Long.parseLong(v.asText()));
      case "BOOL" -> st.bind(name).to(v.asBoolean());
      case "FLOAT64" -> st.bind(name).to(v.asDouble());
      case "NUMERIC" -> st.bind(name).to(new BigDecimal(v.asText()));
      case "DATE" -> st.bind(name).to(Date.parseDate(v.asText()));
      case "TIMESTAMP" -> st.bind(name).to(Timestamp.parseTimestamp(v.asText()));
      case "BYTES" -> st.bind(name).to(ByteArray.fromBase64(v.asText()));
      default -> st.bind(name).to(v.asText());
    }
  }

  @Override
  public void close() {
    spanner.close();
  }
}
