package dev.reverserepl.launcher.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.cloud.NoCredentials;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TimestampBound;
import com.google.cloud.spanner.Type;
import dev.reverserepl.common.convert.MySqlValueConverter;
import dev.reverserepl.common.convert.ValueConversionException;
import dev.reverserepl.common.session.ColumnMapping;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Expected rows read from Spanner at one read timestamp, streamed in source primary-key order
 * ({@code ORDER BY} the Spanner columns of the source key, {@code WHERE shard_col = @shard} when
 * the table has a shard-id column). Each value is put in the form the change stream delivers it and
 * then converted by the writer's {@link MySqlValueConverter}, so both sides meet in the same
 * representation.
 */
final class SpannerExpected implements ExpectedSource {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final SpannerTarget target;
  private final Spanner spanner;
  private final DatabaseClient client;
  private final MySqlValueConverter converter;
  private final int fetchSize;
  private final TimestampBound snapshot;
  private final TimestampBound recheck;
  private final List<ResultSet> open = new ArrayList<>();

  private SpannerExpected(
      SpannerTarget target, Spanner spanner, MySqlValueConverter converter, int fetchSize) {
    this.target = target;
    this.spanner = spanner;
    this.client =
        spanner.getDatabaseClient(
            DatabaseId.of(target.project(), target.instance(), target.database()));
    this.converter = converter;
    this.fetchSize = fetchSize;
    Timestamp at =
        target
            .readTimestamp()
            .map(i -> Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano()))
            .orElse(Timestamp.now());
    this.snapshot = TimestampBound.ofReadTimestamp(at);
    this.recheck = target.readTimestamp().isPresent() ? snapshot : TimestampBound.strong();
  }

  static SpannerExpected open(SpannerTarget target, MySqlValueConverter converter, int fetchSize) {
    SpannerOptions.Builder b = SpannerOptions.newBuilder().setProjectId(target.project());
    if (target.emulatorHost() != null) {
      b.setEmulatorHost(target.emulatorHost())
          .setCredentials(NoCredentials.getInstance())
          .setBuiltInMetricsEnabled(false);
    }
    return new SpannerExpected(target, b.build().getService(), converter, fetchSize);
  }

  @Override
  public Iterator<CanonicalRow> rows(TableShape shape, String shardId) {
    Statement.Builder sql = Statement.newBuilder(select(shape));
    where(shape, shardId, sql, List.of());
    sql.append(" ORDER BY ")
        .append(
            String.join(
                ", ", shape.keyColumns().stream().map(k -> quote(k.spannerColumn())).toList()));
    ResultSet rs =
        client
            .singleUse(snapshot)
            .executeQuery(
                sql.build(), Options.prefetchChunks(Math.max(1, Math.min(fetchSize / 100, 64))));
    open.add(rs);
    return new Iterator<>() {
      Boolean has;

      @Override
      public boolean hasNext() {
        if (has == null) {
          has = rs.next();
        }
        return has;
      }

      @Override
      public CanonicalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        has = null;
        return row(shape, rs.getCurrentRowAsStruct());
      }
    };
  }

  @Override
  public Optional<CanonicalRow> lookup(TableShape shape, String shardId, CanonicalRow key) {
    Statement.Builder sql = Statement.newBuilder(select(shape));
    where(shape, shardId, sql, key.keyParams());
    try (ResultSet rs = client.singleUse(recheck).executeQuery(sql.build())) {
      return rs.next() ? Optional.of(row(shape, rs.getCurrentRowAsStruct())) : Optional.empty();
    }
  }

  private static String select(TableShape shape) {
    return "SELECT "
        + String.join(", ", shape.columns().stream().map(c -> quote(c.spannerColumn())).toList())
        + " FROM "
        + quote(shape.table().spannerTable());
  }

  /**
   * Shard filter and, for a lookup, key equality (key parameters are the writer's JDBC values,
   * bound as text).
   */
  private void where(
      TableShape shape, String shardId, Statement.Builder sql, List<Object> keyParams) {
    List<String> conds = new ArrayList<>();
    String shardCol = shape.table().shardIdColumn();
    if (shardCol != null) {
      conds.add(quote(shardCol) + " = @rr_shard");
      sql.bind("rr_shard").to(shardId);
    }
    for (int i = 0; i < keyParams.size(); i++) {
      ColumnMapping k = shape.keyColumns().get(i);
      String p = "rr_k" + i;
      conds.add("CAST(" + quote(k.spannerColumn()) + " AS STRING) = @" + p);
      Object v = keyParams.get(i);
      sql.bind(p)
          .to(v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : String.valueOf(v));
    }
    if (!conds.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conds));
    }
  }

  private CanonicalRow row(TableShape shape, Struct s) {
    List<String> values = new ArrayList<>(shape.columns().size());
    List<Object> jdbc = new ArrayList<>(shape.columns().size());
    for (ColumnMapping c : shape.columns()) {
      Object v;
      try {
        v = converter.toJdbc(json(s, c.spannerColumn()), c);
      } catch (ValueConversionException e) {
        throw new VerifyException("Spanner value cannot be converted: " + e.getMessage(), e);
      }
      jdbc.add(v);
      values.add(ColumnCodec.fromJdbc(v, c));
    }
    List<String> key = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (ColumnMapping k : shape.keyColumns()) {
      int i = shape.indexOf(k);
      key.add(values.get(i));
      params.add(jdbc.get(i));
    }
    return new CanonicalRow(key, params, values);
  }

  /** The value as the change stream's JSON would carry it. */
  static JsonNode json(Struct s, String column) {
    if (s.isNull(column)) {
      return F.nullNode();
    }
    Type t = s.getColumnType(column);
    if (t.getCode() == Type.Code.ARRAY) {
      ArrayNode a = F.arrayNode();
      switch (t.getArrayElementType().getCode()) {
        case INT64 ->
            s.getLongList(column)
                .forEach(v -> a.add(v == null ? F.nullNode() : F.textNode(v.toString())));
        case FLOAT64 ->
            s.getDoubleList(column).forEach(v -> a.add(v == null ? F.nullNode() : F.numberNode(v)));
        case BOOL ->
            s.getBooleanList(column)
                .forEach(v -> a.add(v == null ? F.nullNode() : F.booleanNode(v)));
        case STRING ->
            s.getStringList(column).forEach(v -> a.add(v == null ? F.nullNode() : F.textNode(v)));
        default ->
            s.getValue(column)
                .getAsStringList()
                .forEach(v -> a.add(v == null ? F.nullNode() : F.textNode(v)));
      }
      return a;
    }
    return switch (t.getCode()) {
      case INT64 -> F.textNode(Long.toString(s.getLong(column)));
      case FLOAT64 -> F.numberNode(s.getDouble(column));
      case FLOAT32 -> F.numberNode(s.getFloat(column));
      case BOOL -> F.booleanNode(s.getBoolean(column));
      case NUMERIC -> F.textNode(s.getBigDecimal(column).toPlainString());
      case STRING -> F.textNode(s.getString(column));
      case BYTES ->
          F.textNode(Base64.getEncoder().encodeToString(s.getBytes(column).toByteArray()));
      case DATE -> F.textNode(s.getDate(column).toString());
      case TIMESTAMP -> F.textNode(s.getTimestamp(column).toString());
      case JSON -> F.textNode(s.getJson(column));
      default -> F.textNode(s.getValue(column).getAsString());
    };
  }

  private static String quote(String id) {
    return "`" + id.replace("`", "\\`") + "`";
  }

  @Override
  public String describe() {
    return target + target.readTimestamp().map(i -> "@" + i).orElse("");
  }

  @Override
  public void close() {
    open.forEach(ResultSet::close);
    spanner.close();
  }
}
