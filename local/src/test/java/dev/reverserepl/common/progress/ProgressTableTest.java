package dev.reverserepl.common.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import java.sql.Connection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressTableTest {
  @Test
  void writesReadsAndAdvancesPublishedThrough() throws Exception {
    EmbeddedMySql mysql = EmbeddedMySql.shared();
    mysql.recreateDatabase("progress_test");
    ProgressTable t = new ProgressTable("rr_pos_test");
    try (Connection c = mysql.connect("progress_test")) {
      t.createIfMissing(c);
      t.createIfMissing(c);
      t.insertIfMissing(c, "s1", 0);
      assertTrue(t.read(c, "s1", 0, false).orElseThrow().isInitial());
      Instant now = Instant.parse("2026-03-04T05:06:07.123456Z");
      AppliedPosition p =
          new AppliedPosition("s1", 0, 5, 100, new ChangePosition(123, "tx", 4, 2), 99, 7, now);
      t.write(c, p);
      assertEquals(p, t.read(c, "s1", 0, true).orElseThrow());
      assertFalse(
          t.advancePublishedThrough(c, "s1", 0, 5, 101, 50, now),
          "sequence 101 is not applied yet");
      assertTrue(t.advancePublishedThrough(c, "s1", 0, 5, 100, 50, now));
      assertEquals(50, t.read(c, "s1", 0, false).orElseThrow().publishedThroughNanos());
      assertEquals(1, t.readAll(c).size());
    }
    assertThrows(IllegalArgumentException.class, () -> new ProgressTable("bad name; drop"));
  }
}
