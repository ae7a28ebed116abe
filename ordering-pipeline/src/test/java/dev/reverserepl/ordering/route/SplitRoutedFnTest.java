package dev.reverserepl.ordering.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing of changes to partitions (writer rule 8: unique-index tables keep one stream). */
class SplitRoutedFnTest {
  @Test
  void rule8_tablesWithAUniqueSecondaryIndexAlwaysTakePartition0() {
    SplitRoutedFn fn = new SplitRoutedFn(4, Set.of("Users"));
    Set<Integer> other = new HashSet<>();
    for (int id = 0; id < 200; id++) {
      String keys = "{\"id\":\"" + id + "\"}";
      assertEquals(0, fn.partition("Users", keys));
      assertEquals(0, fn.partition("users", keys), "Spanner table names are case-insensitive");
      int p = fn.partition("Orders", keys);
      assertEquals(SplitRoutedFn.partitionOf("Orders", keys, 4), p);
      other.add(p);
    }
    assertEquals(4, other.size(), "other tables still spread over every partition");
    assertTrue(new SplitRoutedFn(1, Set.of()).partition("Orders", "{\"id\":\"7\"}") == 0);
  }
}
