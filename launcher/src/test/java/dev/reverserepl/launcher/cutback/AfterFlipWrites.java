package dev.reverserepl.launcher.cutback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Value;
import dev.reverserepl.common.shards.Shard;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Application writes to Spanner after a flip back, per shard and one transaction at a time (the
 * emulator runs one read-write transaction per database): new customers and orders, updates and
 * deletes of new rows, of rows the reverse direction wrote and of rows of the forward load, and one
 * Spanner-only row. TIMESTAMPs are whole seconds: the emulator's change stream drops fractions.
 */
final class AfterFlipWrites {
  static final String SPANNER_ONLY_TABLE = "audit_events";

  /** What was committed: replicated row changes per shard, Spanner-only rows, the last commit. */
  record Written(Map<String, Long> perShard, long spannerOnly, Timestamp lastCommit) {
    long total() {
      return perShard.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private AfterFlipWrites() {}

  static Written write(DatabaseClient db, List<Shard> shards) {
    Map<String, Long> perShard = new LinkedHashMap<>();
    long spannerOnly = 0;
    Timestamp last = null;
    for (int i = 0; i < shards.size(); i++) {
      String id = shards.get(i).logicalShardId();
      List<List<Mutation>> txs = new ArrayList<>(newRows(id, 900_000 + i * 1_000L));
      txs.addAll(olderRows(db, id));
      long changes = 0;
      for (List<Mutation> tx : txs) {
        last = db.write(tx);
        for (Mutation m : tx) {
          if (m.getTable().equals(SPANNER_ONLY_TABLE)) {
            spannerOnly++;
          } else {
            changes++;
          }
        }
      }
      perShard.put(id, changes);
    }
    return new Written(perShard, spannerOnly, last);
  }

  // Rows that did not exist before the flip: 12 customers and 4 orders, 6 customers and an order
  // updated, 2 customers deleted.
  private static List<List<Mutation>> newRows(String shardId, long base) {
    List<Mutation> inserts = new ArrayList<>();
    for (long k = 0; k < 12; k++) {
      inserts.add(customer(Mutation.newInsertBuilder("customers"), base + k, shardId));
    }
    inserts.add(
        Mutation.newInsertBuilder(SPANNER_ONLY_TABLE)
            .set("event_id")
            .to("flip-" + shardId)
            .set("detail")
            .to("Spanner only")
            .build());
    List<Mutation> orders = new ArrayList<>();
    for (long k = 0; k < 4; k++) {
      orders.add(order(base + k, shardId));
    }
    List<Mutation> updates = new ArrayList<>();
    for (long k = 4; k < 10; k++) {
      updates.add(customer(Mutation.newUpdateBuilder("customers"), base + k, shardId));
    }
    updates.add(
        Mutation.newUpdateBuilder("orders")
            .set("customer_id")
            .to(base)
            .set("order_id")
            .to(1)
            .set("amount")
            .to(99.5)
            .build());
    List<Mutation> deletes =
        List.of(
            Mutation.delete("customers", Key.of(base + 10)),
            Mutation.delete("customers", Key.of(base + 11)));
    return List.of(inserts, orders, updates, deletes);
  }

  // Rows from before the flip: 3 updated and 2 deleted of those the reverse direction wrote, 2
  // deleted of the forward load (customers without orders: a cascade is not what this is about).
  private static List<List<Mutation>> olderRows(DatabaseClient db, String shardId) {
    List<Long> fromReverse =
        customers(db, shardId, "customer_id >= 500000 AND customer_id < 900000", 5);
    List<Long> fromForward =
        customers(
            db,
            shardId,
            "customer_id < 500000 AND customer_id NOT IN (SELECT customer_id FROM orders)",
            2);
    List<Mutation> updates = new ArrayList<>();
    for (long k : fromReverse.subList(0, 3)) {
      updates.add(customer(Mutation.newUpdateBuilder("customers"), k, shardId));
    }
    List<Mutation> deletes = new ArrayList<>();
    for (long k : fromReverse.subList(3, 5)) {
      deletes.add(Mutation.delete("customers", Key.of(k)));
    }
    for (long k : fromForward) {
      deletes.add(Mutation.delete("customers", Key.of(k)));
    }
    return List.of(updates, deletes);
  }

  private static List<Long> customers(DatabaseClient db, String shardId, String where, int n) {
    List<Long> out = new ArrayList<>();
    try (var rs =
        db.singleUse()
            .executeQuery(
                Statement.newBuilder(
                        "SELECT customer_id FROM customers WHERE migration_shard_id = @shard AND "
                            + where
                            + " ORDER BY customer_id LIMIT "
                            + n)
                    .bind("shard")
                    .to(shardId)
                    .build())) {
      while (rs.next()) {
        out.add(rs.getLong(0));
      }
    }
    assertEquals(n, out.size(), shardId + ": rows where " + where);
    return out;
  }

  // Every column, the shard id included, as an application writing Spanner directly would.
  private static Mutation customer(Mutation.WriteBuilder b, long id, String shardId) {
    return b.set("customer_id")
        .to(id)
        .set("full_name")
        .to("after flip " + id)
        .set("email")
        .to("f" + id + "@x")
        .set("balance")
        .to(Value.numeric(BigDecimal.valueOf(id % 1000, 2)))
        .set("created_at")
        .to(Timestamp.ofTimeSecondsAndNanos(1_780_000_000L + id % 1000, 0))
        .set("migration_shard_id")
        .to(shardId)
        .build();
  }

  private static Mutation order(long customerId, String shardId) {
    return Mutation.newInsertBuilder("orders")
        .set("customer_id")
        .to(customerId)
        .set("order_id")
        .to(1)
        .set("amount")
        .to(12.25)
        .set("status")
        .to("NEW")
        .set("payload")
        .to(Value.json("{\"flip\":" + customerId + "}"))
        .set("migration_shard_id")
        .to(shardId)
        .build();
  }
}
