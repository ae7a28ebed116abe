package dev.reverserepl.writer;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Test streams over the {@code guestbook} fixture: table {@code Guests(id, name, group)} and {@code
 * Badges(id, label)} (an auto-increment key), with a Java model of the rows every stream must
 * produce.
 */
public final class TestStreams {
  public static final long BASE_NANOS = 1_700_000_000_000_000_000L;

  private TestStreams() {}

  public static Path fixtureDir() {
    return Fixtures.repo("guestbook");
  }

  public static SessionMapping session() {
    return SessionMapping.load(fixtureDir().resolve("session.json").toString());
  }

  /** Drops and creates {@code db} with the fixture's MySQL schema. */
  public static void createShardDatabase(EmbeddedMySql mysql, String db) {
    mysql.recreateDatabase(db);
    mysql.runSqlFile(db, fixtureDir().resolve("mysql-schema.sql"));
  }

  public static Change users(ModKind kind, int id, String name, String from, long tx, int mod) {
    String values =
        kind.isDelete() ? "{}" : "{\"name\":" + quote(name) + ",\"group\":" + quote(from) + "}";
    return new Change(
        "Guests",
        kind,
        "{\"id\":\"" + id + "\"}",
        values,
        new ChangePosition(BASE_NANOS + tx * 1000, "tx" + tx, 0, mod),
        "",
        1);
  }

  public static Change identity(ModKind kind, int id, String column1, long tx, int mod) {
    String values = kind.isDelete() ? "{}" : "{\"label\":" + quote(column1) + "}";
    return new Change(
        "Badges",
        kind,
        "{\"id\":\"" + id + "\"}",
        values,
        new ChangePosition(BASE_NANOS + tx * 1000, "tx" + tx, 0, mod),
        "",
        1);
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  /**
   * A random stream for one {@code (shard, partition, epoch)}: {@code n} changes over {@code keys}
   * keys per table, transactions of 1..5 changes, 60 % updates/inserts, 25 % inserts of fresh
   * values, 15 % deletes.
   */
  public static List<SequencedChange> randomStream(
      String shard, int partition, long epoch, int n, int keys, long seed) {
    Random r = new Random(seed);
    List<SequencedChange> out = new ArrayList<>(n);
    long tx = 1;
    int inTx = 0;
    int txSize = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      int id = 1 + r.nextInt(keys);
      int roll = r.nextInt(100);
      ModKind kind = roll < 15 ? ModKind.DELETE : roll < 40 ? ModKind.INSERT : ModKind.UPDATE;
      Change c =
          r.nextBoolean()
              ? users(kind, id, "n" + shard + "-" + i, "f" + (i % 7), tx, inTx)
              : identity(kind, id, "c" + shard + "-" + i, tx, inTx);
      inTx++;
      boolean eot = inTx == txSize || i == n - 1;
      out.add(new SequencedChange(shard, partition, epoch, i + 1, eot, c));
      if (eot) {
        tx++;
        inTx = 0;
        txSize = 1 + r.nextInt(5);
      }
    }
    return out;
  }

  /** The rows a stream leaves: "table/id" → values, in key order. */
  public static Map<String, String> expectedRows(List<SequencedChange> stream) {
    Map<String, String> rows = new TreeMap<>();
    for (SequencedChange sc : stream) {
      Change c = sc.change();
      String id = c.keysJson().replaceAll("[^0-9]", "");
      String key = (c.table().equals("Guests") ? "Guests" : "Badges") + "/" + id;
      if (c.kind().isDelete()) {
        rows.remove(key);
      } else if (c.table().equals("Guests")) {
        String v = c.newValuesJson();
        rows.put(key, field(v, "name") + "|" + field(v, "group"));
      } else {
        rows.put(key, field(c.newValuesJson(), "label"));
      }
    }
    return rows;
  }

  private static String field(String json, String name) {
    int i = json.indexOf("\"" + name + "\":\"");
    if (i < 0) {
      return "null";
    }
    int start = i + name.length() + 4;
    return json.substring(start, json.indexOf('"', start));
  }

  /** The rows in MySQL, in the same form as {@link #expectedRows}. */
  public static Map<String, String> actualRows(Connection c) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, name, `group` FROM Guests")) {
        while (rs.next()) {
          rows.put("Guests/" + rs.getInt(1), rs.getString(2) + "|" + rs.getString(3));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT id, label FROM Badges")) {
        while (rs.next()) {
          rows.put("Badges/" + rs.getLong(1), rs.getString(2));
        }
      }
    }
    return rows;
  }

  /** Cuts a stream into envelopes of {@code size} changes. */
  public static List<Envelope> envelopes(List<SequencedChange> stream, int size) {
    List<Envelope> out = new ArrayList<>();
    for (int i = 0; i < stream.size(); i += size) {
      List<SequencedChange> part = stream.subList(i, Math.min(stream.size(), i + size));
      SequencedChange first = part.get(0);
      out.add(
          new Envelope(
              first.shardId(),
              first.partition(),
              first.epoch(),
              first.sequence(),
              part.get(part.size() - 1).sequence(),
              part.get(part.size() - 1).change().position().commitNanos(),
              part));
    }
    return out;
  }
}
