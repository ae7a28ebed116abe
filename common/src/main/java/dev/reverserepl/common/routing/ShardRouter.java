package dev.reverserepl.common.routing;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.common.shards.Shard;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides the logical shard of each change. Rules 1..8 of "Routing" in the module README:
 *
 * <ol>
 *   <li>1: a change to a table not in the source is Unresolved (callers skip such tables before
 *       routing).
 *   <li>2: with a custom fetcher, its answer decides; empty or an exception is Unresolved with the
 *       reason.
 *   <li>3: otherwise the table's shard-id column is read from the keys first, then from the new
 *       values.
 *   <li>4: a table with a shard-id column whose value is missing (e.g. a DELETE whose keys lack it)
 *       is Unresolved.
 *   <li>5: with no shard-id column, one shard and an unsharded session, every change goes to that
 *       shard.
 *   <li>6: otherwise the change is Unresolved.
 *   <li>7: a shard id that is not in the shards file is Unresolved.
 *   <li>8: the router is Serializable; a deserialised copy creates and initialises its own fetcher.
 * </ol>
 */
public final class ShardRouter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SessionMapping session;
  private final List<Shard> shards;
  private final Set<String> shardIds;
  private final String customFetcherClass;
  private transient ShardIdFetcher customFetcher;
  private final ShardIdColumnFetcher columnFetcher = new ShardIdColumnFetcher();

  public ShardRouter(SessionMapping session, List<Shard> shards) {
    this(session, shards, null);
  }

  private ShardRouter(SessionMapping session, List<Shard> shards, String customFetcherClass) {
    this.session = session;
    this.shards = List.copyOf(shards);
    this.shardIds =
        shards.stream().map(Shard::logicalShardId).collect(Collectors.toUnmodifiableSet());
    this.customFetcherClass =
        customFetcherClass == null || customFetcherClass.isBlank() ? null : customFetcherClass;
    if (this.customFetcherClass != null) {
      // Fail at configuration time, not on the first change.
      this.customFetcher = instantiate(this.customFetcherClass, session, this.shards);
    }
  }

  /** A copy that asks the named {@link ShardIdFetcher} (null or blank: none). */
  public ShardRouter withCustomFetcher(String className) {
    return new ShardRouter(session, shards, className);
  }

  public String customFetcherClass() {
    return customFetcherClass;
  }

  public RoutingResult route(Change change) {
    Optional<TableMapping> table = session.table(change.table());
    if (table.isEmpty()) {
      String why =
          session.isSkippedTable(change.table())
              ? "table '" + change.table() + "' is not in the source schema (Spanner-only table)"
              : "table '" + change.table() + "' is not in the session file";
      return new RoutingResult.Unresolved(why);
    }
    TableMapping t = table.get();
    Optional<String> id;
    String from;
    if (customFetcherClass != null) {
      try {
        id = fetcher().shardIdFor(change, t);
      } catch (RuntimeException e) {
        return new RoutingResult.Unresolved(
            "custom shard id fetcher " + customFetcherClass + " failed: " + e);
      }
      if (id == null || id.isEmpty()) {
        return new RoutingResult.Unresolved(
            "custom shard id fetcher "
                + customFetcherClass
                + " returned no shard id for table '"
                + t.spannerTable()
                + "'");
      }
      from = "custom shard id fetcher " + customFetcherClass;
    } else if (t.shardIdColumn() != null) {
      id = columnFetcher.shardIdFor(change, t);
      if (id.isEmpty()) {
        return new RoutingResult.Unresolved(
            "shard id column '"
                + t.shardIdColumn()
                + "' of table '"
                + t.spannerTable()
                + "' is missing or empty in"
                + " the keys and new values of this "
                + change.kind());
      }
      from = "column '" + t.shardIdColumn() + "'";
    } else if (shards.size() == 1 && !session.isSharded()) {
      return new RoutingResult.Routed(shards.get(0).logicalShardId());
    } else {
      return new RoutingResult.Unresolved(
          "table '"
              + t.spannerTable()
              + "' has no shard id column and there are "
              + shards.size()
              + " shards; configure a custom shard id fetcher");
    }
    if (!shardIds.contains(id.get())) {
      return new RoutingResult.Unresolved(
          "shard id '" + id.get() + "' from " + from + " is not in the shards file");
    }
    return new RoutingResult.Routed(id.get());
  }

  private synchronized ShardIdFetcher fetcher() {
    if (customFetcher == null) {
      customFetcher = instantiate(customFetcherClass, session, shards);
    }
    return customFetcher;
  }

  static ShardIdFetcher instantiate(String className, SessionMapping session, List<Shard> shards) {
    String option = "customShardIdFetcher";
    Class<?> c;
    try {
      c =
          Class.forName(
              className,
              true,
              Thread.currentThread().getContextClassLoader() != null
                  ? Thread.currentThread().getContextClassLoader()
                  : ShardRouter.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(
          option, "", "className", "class '" + className + "' not found on the classpath", e);
    }
    if (!ShardIdFetcher.class.isAssignableFrom(c)) {
      throw new ConfigException(
          option,
          "",
          "className",
          "class '" + className + "' does not implement " + ShardIdFetcher.class.getName());
    }
    if (Modifier.isAbstract(c.getModifiers())) {
      throw new ConfigException(option, "", "className", "class '" + className + "' is abstract");
    }
    ShardIdFetcher f;
    try {
      Constructor<?> ctor = c.getConstructor();
      f = (ShardIdFetcher) ctor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new ConfigException(
          option,
          "",
          "className",
          "class '" + className + "' has no public no-argument constructor",
          e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException(
          option, "", "className", "cannot create '" + className + "': " + cause, cause);
    }
    try {
      f.init(session, shards);
    } catch (RuntimeException e) {
      throw new ConfigException(
          option, "", "className", "init of '" + className + "' failed: " + e, e);
    }
    return f;
  }
}
