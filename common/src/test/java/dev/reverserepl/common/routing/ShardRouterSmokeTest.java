package dev.reverserepl.common.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.change.ModKind;
import dev.reverserepl.common.session.Fixtures;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardRouterSmokeTest {
  @Test
  void routesByShardColumn() {
    SessionMapping s = SessionMapping.load(Fixtures.file("ShardedSingers/session.json").toString());
    ShardRouter router = new ShardRouter(s, List.of(Shard.of("shard1", "h", 3306, "u", "p", "db1"),
        Shard.of("shard2", "h", 3306, "u", "p", "db2")));
    Change c = new Change("Singers", ModKind.INSERT, "{\"SingerId\":\"1\",\"migration_shard_id\":\"shard2\"}",
        "{}", new ChangePosition(1, "t", 0, 0), "", 1);
    assertEquals(new RoutingResult.Routed("shard2"), router.route(c));
  }
}
