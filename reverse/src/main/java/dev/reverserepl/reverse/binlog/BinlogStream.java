package dev.reverserepl.reverse.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.reverse.ReverseException;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads one shard's binary log from a position with {@code mysql-binlog-connector-java} and hands
 * every committed transaction to a {@link Sink}, in commit order. Rules:
 *
 * <ol>
 *   <li>A transaction ends at its XID event (or a {@code COMMIT} query for non-transactional
 *       tables); its end position is the next event's offset in the current file, so resuming there
 *       never re-reads or skips it. Transactions with no row of a replicated table are handed on
 *       too (empty), so positions keep moving.
 *   <li>Only row events of the shard's database and of the given source tables are kept
 *       (case-insensitively); the replication's own tables and anything else are passed over.
 *   <li>Values are decoded with {@code DATE_AND_TIME_AS_LONG_MICRO} (microseconds, nothing rounded)
 *       and {@code CHAR_AND_BINARY_AS_BYTE_ARRAY} (text as bytes, decoded later with the column's
 *       character set); invalid dates (zero dates) arrive as {@code Long.MIN_VALUE}.
 *   <li>MariaDB binlogs: the client announces MariaDB slave capability 4 (GTID events) and
 *       negotiates CRC32 checksums itself; the MariaDB GTID ({@code domain-server-sequence}) of
 *       each transaction is kept in its end position.
 *   <li>Any failure (a communication error such as a purged binlog, a decoding error, a sink error)
 *       stops the stream and is rethrown by {@link #run()} naming the shard and host:port. The
 *       client never reconnects on its own (keep-alive off): the caller restarts from the position
 *       it stored.
 * </ol>
 */
public final class BinlogStream {
  /**
   * Receives transactions on the reading thread; blocking in it holds the reader back (back
   * pressure).
   */
  public interface Sink {
    void accept(BinlogTransaction transaction) throws InterruptedException;
  }

  private final Shard shard;
  private final Set<String> sourceTables;
  private final SourceTables tables;
  private final BinaryLogClient client;
  private final Sink sink;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Map<Long, TableMapEventData> tableMaps = new HashMap<>();
  private final List<RowEvent> pending = new ArrayList<>();
  private String file;
  private String gtid = "";

  public BinlogStream(
      Shard shard,
      Connection metadata,
      Set<String> sourceTables,
      BinlogPosition from,
      long serverId,
      Sink sink) {
    this.shard = shard;
    this.sourceTables =
        sourceTables.stream()
            .map(t -> t.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet());
    this.tables = new SourceTables(metadata);
    this.sink = sink;
    this.file = from.file();
    this.client =
        new BinaryLogClient(
            shard.host(),
            shard.port(),
            shard.user(),
            shard.password() == null ? "" : shard.password());
    client.setServerId(serverId);
    client.setBinlogFilename(from.file());
    client.setBinlogPosition(from.position());
    client.setKeepAlive(false);
    client.setMariaDbSlaveCapability(4);
    EventDeserializer d = new EventDeserializer();
    d.setCompatibilityMode(
        EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
        EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        EventDeserializer.CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
    client.setEventDeserializer(d);
    client.registerEventListener(this::onEvent);
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            fail(ex);
          }

          @Override
          public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            fail(ex);
          }
        });
  }

  /** Reads until {@link #stop()} or a failure; blocks the calling thread. */
  public void run() {
    try {
      client.connect();
    } catch (IOException e) {
      fail(e);
    }
    Exception e = failure.get();
    if (e != null) {
      throw e instanceof ReverseException r
          ? r
          : new ReverseException(
              BinlogServer.where(shard) + ": reading the binary log failed: " + e.getMessage(), e);
    }
  }

  public void stop() {
    try {
      client.disconnect();
    } catch (IOException e) {
      failure.compareAndSet(null, e);
    }
  }

  private void fail(Exception e) {
    if (failure.compareAndSet(null, e)) {
      new Thread(this::stop, "binlog-stop-" + shard.logicalShardId()).start();
    }
  }

  private void onEvent(Event event) {
    if (failure.get() != null) {
      return;
    }
    try {
      handle(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(e);
    } catch (SQLException | RuntimeException e) {
      fail(e);
    }
  }

  private void handle(Event event) throws SQLException, InterruptedException {
    EventHeaderV4 h = event.getHeader();
    EventType type = h.getEventType();
    EventData data = event.getData();
    if (data instanceof RotateEventData r) {
      file = r.getBinlogFilename();
    } else if (data instanceof TableMapEventData t) {
      tableMaps.put(t.getTableId(), t);
    } else if (data instanceof MariadbGtidEventData g) {
      gtid = g.getDomainId() + "-" + g.getServerId() + "-" + g.getSequence();
    } else if (data instanceof WriteRowsEventData w) {
      SourceTable t = table(w.getTableId());
      if (t != null) {
        w.getRows()
            .forEach(r -> pending.add(new RowEvent(RowEvent.Kind.INSERT, t, null, check(t, r))));
      }
    } else if (data instanceof UpdateRowsEventData u) {
      SourceTable t = table(u.getTableId());
      if (t != null) {
        for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
          pending.add(
              new RowEvent(RowEvent.Kind.UPDATE, t, check(t, r.getKey()), check(t, r.getValue())));
        }
      }
    } else if (data instanceof DeleteRowsEventData dr) {
      SourceTable t = table(dr.getTableId());
      if (t != null) {
        dr.getRows()
            .forEach(r -> pending.add(new RowEvent(RowEvent.Kind.DELETE, t, check(t, r), null)));
      }
    } else if (type == EventType.XID) {
      commit(h);
    } else if (data instanceof QueryEventData q) {
      String sql = q.getSql().trim().toUpperCase(Locale.ROOT);
      if (sql.equals("COMMIT")) {
        commit(h);
      } else if (!sql.equals("BEGIN")) {
        tables.invalidate();
      }
    }
  }

  private void commit(EventHeaderV4 h) throws InterruptedException {
    BinlogPosition end = new BinlogPosition(file, h.getNextPosition(), gtid);
    BinlogTransaction tx =
        new BinlogTransaction(pending, end, Instant.ofEpochMilli(h.getTimestamp()));
    pending.clear();
    sink.accept(tx);
  }

  private SourceTable table(long tableId) throws SQLException {
    TableMapEventData m = tableMaps.get(tableId);
    if (m == null) {
      throw new ReverseException(
          BinlogServer.where(shard)
              + ": row event for unknown table id "
              + tableId
              + " in "
              + file
              + " (no table map event before it)");
    }
    if (!m.getDatabase().equalsIgnoreCase(shard.dbName())
        || !sourceTables.contains(m.getTable().toLowerCase(Locale.ROOT))) {
      return null;
    }
    SourceTable t = tables.get(m.getDatabase(), m.getTable());
    if (t.columns().size() != m.getColumnTypes().length) {
      throw new ReverseException(
          BinlogServer.where(shard)
              + ": table "
              + m.getTable()
              + " has "
              + t.columns().size()
              + " columns now but "
              + m.getColumnTypes().length
              + " in "
              + file
              + "; it was altered after the commit point, which the reverse direction does not support");
    }
    return t;
  }

  private Serializable[] check(SourceTable t, Serializable[] row) {
    if (row.length != t.columns().size()) {
      throw new ReverseException(
          BinlogServer.where(shard)
              + ": a row of "
              + t.name()
              + " in "
              + file
              + " carries "
              + row.length
              + " of "
              + t.columns().size()
              + " columns; binlog_row_image must be FULL");
    }
    return row;
  }
}
