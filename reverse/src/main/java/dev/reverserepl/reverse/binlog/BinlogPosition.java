package dev.reverserepl.reverse.binlog;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in one server's binary log: the file ({@code mysql-bin.000003}), the byte offset of the
 * next event, and the server's GTID position at that point when known ({@code @@gtid_binlog_pos} on
 * MariaDB, {@code @@gtid_executed} on MySQL; informational, the file and offset decide). Positions
 * of one server order by the file's sequence number (the digits after the last dot), then by
 * offset.
 */
public record BinlogPosition(String file, long position, String gtid)
    implements Comparable<BinlogPosition>, Serializable {
  private static final Pattern SEQUENCE = Pattern.compile(".*\\.([0-9]+)$");

  public BinlogPosition {
    Objects.requireNonNull(file, "file");
    if (file.isBlank()) {
      throw new IllegalArgumentException("binlog file name is empty");
    }
    if (position < 4) {
      throw new IllegalArgumentException(
          "binlog position must be >= 4 (after the magic header): " + position);
    }
    gtid = gtid == null ? "" : gtid;
  }

  /** The file's sequence number, e.g. 3 for {@code mysql-bin.000003}. */
  public long sequence() {
    Matcher m = SEQUENCE.matcher(file);
    if (!m.matches()) {
      throw new IllegalArgumentException("binlog file name has no numeric suffix: " + file);
    }
    return Long.parseLong(m.group(1));
  }

  @Override
  public int compareTo(BinlogPosition o) {
    int c = Long.compare(sequence(), o.sequence());
    return c != 0 ? c : Long.compare(position, o.position);
  }

  public boolean isAfter(BinlogPosition o) {
    return compareTo(o) > 0;
  }

  public BinlogPosition withGtid(String g) {
    return new BinlogPosition(file, position, g);
  }

  @Override
  public String toString() {
    return file + ":" + position + (gtid.isEmpty() ? "" : " (gtid " + gtid + ")");
  }
}
