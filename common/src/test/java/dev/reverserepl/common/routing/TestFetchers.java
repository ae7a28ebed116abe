package dev.reverserepl.common.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.util.List;
import java.util.Optional;

/** Custom fetchers the routing tests name by class. */
public final class TestFetchers {
  private TestFetchers() {}

  /**
   * Even numeric key (the first one of the change) → first shard, odd → second; answers only after
   * one init.
   */
  public static final class ByParity implements ShardIdFetcher {
    private int inits;
    private List<Shard> shards;

    @Override
    public void init(SessionMapping session, List<Shard> shards) {
      inits++;
      this.shards = shards;
    }

    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      if (inits != 1) {
        return Optional.of("init-called-" + inits + "-times");
      }
      try {
        long id = 0;
        for (var key = Json.parse(change.keysJson()).elements(); key.hasNext(); ) {
          var value = key.next();
          if (value.asText().matches("-?[0-9]+")) {
            id = value.asLong();
            break;
          }
        }
        return Optional.of(shards.get((int) (id % 2)).logicalShardId());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  public static final class Nobody implements ShardIdFetcher {
    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      return Optional.empty();
    }
  }

  public static final class Unknown implements ShardIdFetcher {
    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      return Optional.of("shard-from-nowhere");
    }
  }

  public static final class Throws implements ShardIdFetcher {
    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      throw new IllegalStateException("lookup service down");
    }
  }

  public static final class NoDefaultConstructor implements ShardIdFetcher {
    public NoDefaultConstructor(String arg) {}

    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      return Optional.empty();
    }
  }

  public static final class InitFails implements ShardIdFetcher {
    @Override
    public void init(SessionMapping session, List<Shard> shards) {
      throw new IllegalStateException("no config");
    }

    @Override
    public Optional<String> shardIdFor(Change change, TableMapping table) {
      return Optional.empty();
    }
  }

  public static final class NotAFetcher {}
}
