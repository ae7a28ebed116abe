package dev.reverserepl.common.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionMappingSmokeTest {
  @Test
  void everyFixtureSessionLoads() {
    List<Path> files = Fixtures.sessionFiles();
    assertEquals(9, files.size(), files.toString());
    for (Path f : files) {
      SessionMapping s = SessionMapping.load(f.toString());
      assertFalse(s.tables().isEmpty(), f.toString());
    }
  }

  @Test
  void shardedSingersMapsShardColumn() {
    SessionMapping s = SessionMapping.load(Fixtures.file("ShardedSingers/session.json").toString());
    TableMapping t = s.table("Singers").orElseThrow();
    assertTrue(s.isSharded());
    assertEquals("migration_shard_id", t.shardIdColumn());
    assertEquals(List.of("migration_shard_id"), t.unmappedSpannerColumns());
    assertEquals(List.of("migration_shard_id", "SingerId"), t.spannerPrimaryKey());
    assertEquals(List.of("SingerId"), t.sourcePrimaryKey());
  }
}
