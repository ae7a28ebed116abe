package dev.reverserepl.reverse.translate;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import dev.reverserepl.reverse.binlog.SourceTable;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a value as the binlog connector decodes it into a plain Java value by the source column's
 * type: integers as {@code BigInteger} (unsigned ones corrected), DECIMAL as {@code BigDecimal},
 * FLOAT/DOUBLE as {@code Double} ({@code Float} for FLOAT), text as {@code String} (decoded with
 * the column's character set), binary as {@code byte[]}, DATE as {@code LocalDate}, DATETIME as
 * {@code LocalDateTime} (wall clock), TIMESTAMP as {@code Instant}, TIME as {@code String} {@code
 * [-]HH:MM:SS.ffffff}, BIT as {@code BigInteger}, ENUM as its member, SET as its members joined by
 * commas, JSON as JSON text. Nothing is rounded.
 */
final class SourceValue {
  private static final Set<String> INTEGERS =
      Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
  private static final Set<String> TEXT =
      Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
  private static final Set<String> BINARY =
      Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");

  private SourceValue() {}

  static Object decode(SourceTable.Column col, Serializable v) throws RowFailure {
    if (v == null) {
      return null;
    }
    String type = col.dataType();
    if (INTEGERS.contains(type)) {
      return integer(col, ((Number) v).longValue());
    }
    switch (type) {
      case "decimal", "numeric":
        return (BigDecimal) v;
      case "float":
        return ((Number) v).floatValue();
      case "double", "real":
        return ((Number) v).doubleValue();
      case "bit":
        return v instanceof BitSet b ? bits(b) : BigInteger.valueOf(((Number) v).longValue());
      case "year":
        return BigInteger.valueOf(((Number) v).longValue());
      case "date":
        return LocalDate.ofEpochDay(Math.floorDiv(micros(col, v), 86_400_000_000L));
      case "datetime":
        return LocalDateTime.ofEpochSecond(
            Math.floorDiv(micros(col, v), 1_000_000L),
            (int) Math.floorMod(micros(col, v), 1_000_000L) * 1000,
            ZoneOffset.UTC);
      case "timestamp":
        long m = micros(col, v);
        return Instant.ofEpochSecond(
            Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
      case "time":
        return time(micros(col, v));
      case "enum":
        return member(col, ((Number) v).intValue());
      case "set":
        return members(col, ((Number) v).longValue());
      case "json":
        return v instanceof byte[] b ? json(col, b) : v.toString();
      default:
        break;
    }
    if (TEXT.contains(type)) {
      return v instanceof byte[] b ? new String(b, charset(col)) : v.toString();
    }
    if (BINARY.contains(type)) {
      return v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
    }
    throw new RowFailure(
        "column "
            + col.name()
            + ": source type "
            + type
            + " is not supported in the reverse"
            + " direction");
  }

  private static BigInteger integer(SourceTable.Column col, long v) {
    BigInteger b = BigInteger.valueOf(v);
    if (!col.unsigned() || v >= 0) {
      return b;
    }
    int bits =
        switch (col.dataType()) {
          case "tinyint" -> 8;
          case "smallint" -> 16;
          case "mediumint" -> 24;
          case "int", "integer" -> 32;
          default -> 64;
        };
    return b.add(BigInteger.ONE.shiftLeft(bits));
  }

  private static long micros(SourceTable.Column col, Serializable v) throws RowFailure {
    long m = ((Number) v).longValue();
    if (m == Long.MIN_VALUE) {
      throw new RowFailure(
          "column " + col.name() + ": zero or invalid " + col.dataType() + " has no Spanner value");
    }
    return m;
  }

  private static String time(long micros) {
    long a = Math.abs(micros);
    return String.format(
        Locale.ROOT,
        "%s%02d:%02d:%02d.%06d",
        micros < 0 ? "-" : "",
        a / 3_600_000_000L,
        a / 60_000_000L % 60,
        a / 1_000_000L % 60,
        a % 1_000_000L);
  }

  private static BigInteger bits(BitSet b) {
    BigInteger out = BigInteger.ZERO;
    for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
      out = out.setBit(i);
    }
    return out;
  }

  private static String member(SourceTable.Column col, int index) throws RowFailure {
    if (index == 0) {
      return "";
    }
    if (index < 0 || index > col.members().size()) {
      throw new RowFailure(
          "column " + col.name() + ": ENUM index " + index + " outside " + col.members());
    }
    return col.members().get(index - 1);
  }

  private static String members(SourceTable.Column col, long mask) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < col.members().size(); i++) {
      if ((mask & (1L << i)) != 0) {
        out.add(col.members().get(i));
      }
    }
    return String.join(",", out);
  }

  /**
   * MySQL stores JSON in its binary form; MariaDB's JSON is text (its DATA_TYPE is longtext,
   * handled above).
   */
  private static String json(SourceTable.Column col, byte[] b) throws RowFailure {
    try {
      return JsonBinary.parseAsString(b);
    } catch (IOException e) {
      throw new RowFailure(
          "column " + col.name() + ": cannot decode binary JSON: " + e.getMessage());
    }
  }

  static Charset charset(SourceTable.Column col) {
    String cs = col.charset() == null ? "utf8mb4" : col.charset().toLowerCase(Locale.ROOT);
    return switch (cs) {
      case "latin1" -> Charset.forName("windows-1252");
      case "ascii" -> StandardCharsets.US_ASCII;
      case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
      case "utf16le" -> StandardCharsets.UTF_16LE;
      case "utf32" -> Charset.forName("UTF-32");
      default -> StandardCharsets.UTF_8;
    };
  }
}
