package dev.reverserepl.ordering.route;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Rule R2 over a bounded set of change-record files: for every row of a table whose deletes can
 * lack the shard-id column, where its changes were routed, so that such a delete takes the shard of
 * the newest routed change of its row before it in commit order. A stale read of the files: exact
 * whatever order the files and their records are in, and nothing waits in runner state for it.
 *
 * <p>Per row only the positions where its shard changes are kept (one for a row that never moves),
 * sorted by row and position; a row is named by the first 128 bits of the SHA-256 of its table and
 * keys.
 */
public final class FileHistory {
  private final long[] hi;
  private final long[] lo;
  private final ChangePosition[] positions;
  private final String[] shards;
  private final long sightings;

  private FileHistory(
      long[] hi, long[] lo, ChangePosition[] positions, String[] shards, long sightings) {
    this.hi = hi;
    this.lo = lo;
    this.positions = positions;
    this.shards = shards;
    this.sightings = sightings;
  }

  /** The routed changes seen while building, the changes kept after compaction. */
  public long sightings() {
    return sightings;
  }

  public int kept() {
    return positions.length;
  }

  /**
   * The shard of the newest routed change of {@code change}'s row before it, or null when the files
   * hold none.
   */
  public String shardBefore(Change change, Digest digest) {
    long[] id = digest.rowId(change.table(), change.keysJson());
    int lowest = 0;
    int highest = positions.length; // first index at or after (id, position)
    while (lowest < highest) {
      int mid = (lowest + highest) >>> 1;
      if (compare(mid, id[0], id[1], change.position()) < 0) {
        lowest = mid + 1;
      } else {
        highest = mid;
      }
    }
    int before = lowest - 1;
    return before >= 0 && hi[before] == id[0] && lo[before] == id[1] ? shards[before] : null;
  }

  private int compare(int i, long h, long l, ChangePosition p) {
    int c = Long.compare(hi[i], h);
    if (c == 0) {
      c = Long.compare(lo[i], l);
    }
    return c != 0 ? c : positions[i].compareTo(p);
  }

  /** Names rows; one per thread. */
  public static final class Digest {
    private final MessageDigest sha;

    public Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this Java has no SHA-256", e);
      }
    }

    long[] rowId(String table, String keysJson) {
      sha.reset();
      sha.update(table.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      ByteBuffer d = ByteBuffer.wrap(sha.digest(keysJson.getBytes(StandardCharsets.UTF_8)));
      return new long[] {d.getLong(), d.getLong()};
    }
  }

  /** Collects routed changes in any order, then sorts and compacts them. */
  public static final class Builder {
    private final Digest digest = new Digest();
    private final Map<String, String> shardNames = new HashMap<>();
    private long[] hi = new long[1024];
    private long[] lo = new long[1024];
    private ChangePosition[] positions = new ChangePosition[1024];
    private String[] shards = new String[1024];
    private int n;

    public void add(Change change, String shardId) {
      if (n == hi.length) {
        int size = n * 2;
        hi = Arrays.copyOf(hi, size);
        lo = Arrays.copyOf(lo, size);
        positions = Arrays.copyOf(positions, size);
        shards = Arrays.copyOf(shards, size);
      }
      long[] id = digest.rowId(change.table(), change.keysJson());
      hi[n] = id[0];
      lo[n] = id[1];
      positions[n] = change.position();
      shards[n] = shardNames.computeIfAbsent(shardId, s -> s);
      n++;
    }

    public FileHistory build() {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (a, b) -> {
            int c = Long.compare(hi[a], hi[b]);
            if (c == 0) {
              c = Long.compare(lo[a], lo[b]);
            }
            return c != 0 ? c : positions[a].compareTo(positions[b]);
          });
      int kept = 0;
      int[] keep = new int[n];
      for (int k = 0; k < n; k++) {
        int i = order[k];
        int last = kept == 0 ? -1 : keep[kept - 1];
        boolean sameRow = last >= 0 && hi[last] == hi[i] && lo[last] == lo[i];
        // a change on the shard the row already had tells no later delete anything new
        if (!sameRow || !shards[last].equals(shards[i])) {
          keep[kept++] = i;
        }
      }
      long[] h = new long[kept];
      long[] l = new long[kept];
      ChangePosition[] p = new ChangePosition[kept];
      String[] s = new String[kept];
      for (int k = 0; k < kept; k++) {
        int i = keep[k];
        h[k] = hi[i];
        l[k] = lo[i];
        p[k] = positions[i];
        s[k] = shards[i];
      }
      return new FileHistory(h, l, p, s, n);
    }
  }
}
