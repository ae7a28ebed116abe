package dev.reverserepl.common.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.session.ColumnMapping;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one change-stream JSON value into the JDBC parameter for its MySQL column. See the rules in
 * the module README ("Conversion"): exact or an error, never a silently altered value.
 *
 * <p>Parameters are {@code Long}/{@code BigInteger} (integers), {@code BigDecimal} (decimal),
 * {@code Double} (float/double), {@code Integer} (year), {@code byte[]} (binary family and bit) and
 * {@code String} (text family, json, date, time, datetime, timestamp). datetime/timestamp text is
 * the wall-clock time in {@link #sourceOffset()}; connections that write timestamp columns should
 * use {@link #sessionTimeZone()} as their {@code time_zone}.
 */
public final class MySqlValueConverter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, MySqlType> TYPES = registry();

  private final ZoneOffset sourceOffset;

  public MySqlValueConverter() {
    this(ZoneOffset.UTC);
  }

  public MySqlValueConverter(ZoneOffset sourceOffset) {
    this.sourceOffset = Objects.requireNonNull(sourceOffset, "sourceOffset");
  }

  /** Parses an offset such as {@code +05:30}, {@code -08:00} or {@code Z}. */
  public static MySqlValueConverter forOffset(String offset) {
    return new MySqlValueConverter(ZoneOffset.of(offset));
  }

  public ZoneOffset sourceOffset() {
    return sourceOffset;
  }

  /** The offset as MySQL's {@code time_zone} wants it, e.g. {@code +00:00}, {@code +05:30}. */
  public String sessionTimeZone() {
    int seconds = sourceOffset.getTotalSeconds();
    int abs = Math.abs(seconds);
    return String.format("%s%02d:%02d", seconds < 0 ? "-" : "+", abs / 3600, (abs / 60) % 60);
  }

  /**
   * True when {@link #toJdbc} knows the MySQL type (base name as in the session file, e.g. {@code
   * varchar}).
   */
  public static boolean supports(String mysqlType) {
    return TYPES.containsKey(mysqlType);
  }

  /**
   * The JDBC parameter for {@code value} (a missing value or JSON null is SQL NULL) in {@code
   * column}'s source column.
   */
  public Object toJdbc(JsonNode value, ColumnMapping column) throws ValueConversionException {
    if (column.sourceColumn() == null || column.sourceType() == null) {
      throw new IllegalArgumentException("column " + column.spannerColumn() + " is not replicated");
    }
    ConversionInput in =
        new ConversionInput(
            value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value,
            column,
            sourceOffset);
    if (in.node().isNull() || in.node().isMissingNode()) {
      if (!column.sourceNullable()) {
        throw in.fail("NULL for a NOT NULL column");
      }
      return null;
    }
    MySqlType type = TYPES.get(column.sourceType().name());
    if (type == null) {
      throw in.fail("MySQL type '" + column.sourceType().name() + "' is not supported");
    }
    return type.convert(in);
  }

  private static Map<String, MySqlType> registry() {
    Map<String, MySqlType> m = new HashMap<>();
    m.put("tinyint", new IntegerType(8));
    m.put("bool", new IntegerType(8));
    m.put("boolean", new IntegerType(8));
    m.put("smallint", new IntegerType(16));
    m.put("mediumint", new IntegerType(24));
    m.put("int", new IntegerType(32));
    m.put("integer", new IntegerType(32));
    m.put("bigint", new IntegerType(64));
    DecimalType decimal = new DecimalType();
    m.put("decimal", decimal);
    m.put("dec", decimal);
    m.put("numeric", decimal);
    m.put("fixed", decimal);
    m.put("float", new FloatingPointType(true));
    FloatingPointType dbl = new FloatingPointType(false);
    m.put("double", dbl);
    m.put("real", dbl);
    m.put("double precision", dbl);
    m.put("bit", new BitType());
    TextType limitedByChars = new TextType(0);
    m.put("char", limitedByChars);
    m.put("varchar", limitedByChars);
    m.put("enum", limitedByChars);
    m.put("set", limitedByChars);
    m.put("tinytext", new TextType(255));
    m.put("text", new TextType(65_535));
    m.put("mediumtext", new TextType(16_777_215));
    m.put("longtext", new TextType(4_294_967_295L));
    BinaryType limitedByLength = new BinaryType(0);
    m.put("binary", limitedByLength);
    m.put("varbinary", limitedByLength);
    m.put("tinyblob", new BinaryType(255));
    m.put("blob", new BinaryType(65_535));
    m.put("mediumblob", new BinaryType(16_777_215));
    m.put("longblob", new BinaryType(4_294_967_295L));
    m.put("date", new DateType());
    m.put("datetime", new DateTimeType(false));
    m.put("timestamp", new DateTimeType(true));
    m.put("time", new TimeType());
    m.put("year", new YearType());
    m.put("json", new JsonType());
    return Map.copyOf(m);
  }

  @Override
  public String toString() {
    return "MySqlValueConverter[sourceOffset=" + sessionTimeZone() + "]";
  }
}
