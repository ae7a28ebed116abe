package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether users other than the reverse writer can still write one shard's replicated tables.
 *
 * <p>{@code otherWriters} are the grants that let them; with {@code read_only} on they only count
 * for accounts that bypass it ({@code bypassReadOnly}). {@code blocked} is true when nobody but the
 * writer can write. {@code warnings} covers what the check cannot decide (unreachable shard, grants
 * of other users not visible, the writer itself unable to write).
 */
public record WriteBlockingReport(
    String shardId,
    boolean reachable,
    boolean readOnly,
    Boolean superReadOnly,
    String writerUser,
    boolean writerCanWrite,
    List<WriteGrant> otherWriters,
    List<String> warnings) {

  public WriteBlockingReport {
    otherWriters = List.copyOf(otherWriters);
    warnings = List.copyOf(warnings);
  }

  public static WriteBlockingReport unreachable(String shardId, String writerUser, String error) {
    return new WriteBlockingReport(
        shardId,
        false,
        false,
        null,
        writerUser,
        false,
        List.of(),
        List.of("unreachable: " + error));
  }

  /**
   * True when only the writer can write the replicated tables and the check could see every grant.
   */
  public boolean blocked() {
    return reachable
        && otherWriters.isEmpty()
        && warnings.stream().noneMatch(w -> w.startsWith("cannot see"));
  }

  /**
   * REVOKE statements for every other writer, or {@code SET GLOBAL read_only} when that alone is
   * enough.
   */
  public List<String> statements() {
    List<String> out = new ArrayList<>();
    if (!reachable || otherWriters.isEmpty()) {
      return out;
    }
    for (WriteGrant g : otherWriters) {
      out.add(g.revokeStatement());
    }
    if (!readOnly) {
      out.add(
          "-- or, instead of the REVOKEs (the writer account then needs SUPER / READ ONLY ADMIN /"
              + " CONNECTION_ADMIN to keep writing):");
      out.add("SET GLOBAL read_only = ON;");
    }
    return out;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("shardId", shardId);
    o.put("reachable", reachable);
    o.put("blocked", blocked());
    o.put("readOnly", readOnly);
    if (superReadOnly == null) {
      o.putNull("superReadOnly");
    } else {
      o.put("superReadOnly", superReadOnly);
    }
    o.put("writerUser", writerUser);
    o.put("writerCanWrite", writerCanWrite);
    ArrayNode arr = o.putArray("otherWriters");
    for (WriteGrant g : otherWriters) {
      ObjectNode go = arr.addObject();
      go.put("grantee", g.grantee());
      go.put("level", g.level().name());
      go.put("schema", g.schema());
      go.put("table", g.table());
      g.privileges().forEach(go.putArray("privileges")::add);
    }
    warnings.forEach(o.putArray("warnings")::add);
    return o;
  }
}
