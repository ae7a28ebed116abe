package dev.reverserepl.common.progress;

import dev.reverserepl.common.change.ChangePosition;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the shards themselves say is applied, per {@code shard × partition} stream: the time through
 * which each stream is complete (the later of its last applied commit and its published-through
 * marker). Used to resume the ordering pipeline, to rewind the writer's buffer and to register
 * every stream before anything is applied.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>A stream without a progress row, or whose row holds neither an applied commit nor a
 *       published-through time, is <em>unknown</em>; it never counts as complete.
 *   <li>{@link #register} inserts the row of every unknown stream with published-through = {@code
 *       start − 1 ns} (everything committed before the replication started is, by definition, in
 *       the shard) and never touches a row that exists, so it is safe to run on every start.
 * </ol>
 */
public final class ShardPositions {
  /** Opens a connection to a shard. */
  @FunctionalInterface
  public interface Connector {
    Connection open(Shard shard) throws SQLException;
  }

  /** One stream's completeness; {@code completeThrough} empty when unknown. */
  public record Stream(String shardId, int partition, Optional<Instant> completeThrough) {
    public String name() {
      return shardId + "#" + partition;
    }
  }

  /** All streams of all shards, in shards-file and partition order. */
  public record Snapshot(List<Stream> streams) {
    public Snapshot {
      streams = List.copyOf(streams);
    }

    /** The earliest completeness over the known streams; empty when none is known. */
    public Optional<Instant> earliestKnown() {
      return streams.stream().flatMap(s -> s.completeThrough().stream()).min(Instant::compareTo);
    }

    /** The earliest completeness of one shard's known streams. */
    public Optional<Instant> earliestKnown(String shardId) {
      return streams.stream()
          .filter(s -> s.shardId().equals(shardId))
          .flatMap(s -> s.completeThrough().stream())
          .min(Instant::compareTo);
    }

    public List<Stream> unknown() {
      return streams.stream().filter(s -> s.completeThrough().isEmpty()).toList();
    }

    public boolean anyKnown() {
      return earliestKnown().isPresent();
    }
  }

  private final List<Shard> shards;
  private final int partitionsPerShard;
  private final ProgressTable table;
  private final Connector connector;

  public ShardPositions(
      List<Shard> shards, int partitionsPerShard, ProgressTable table, Connector connector) {
    if (partitionsPerShard < 1) {
      throw new IllegalArgumentException("partitionsPerShard must be >= 1: " + partitionsPerShard);
    }
    this.shards = List.copyOf(shards);
    this.partitionsPerShard = partitionsPerShard;
    this.table = table;
    this.connector = connector;
  }

  /** Plain JDBC with the shard's own user and password. */
  public static ShardPositions of(
      List<Shard> shards, int partitionsPerShard, String progressTableName) {
    return new ShardPositions(
        shards, partitionsPerShard, new ProgressTable(progressTableName), ShardPositions::jdbc);
  }

  public static Connection jdbc(Shard shard) throws SQLException {
    if (shard.password() == null && shard.secretManagerUri() != null) {
      throw new SQLException(
          "its password is in Secret Manager ("
              + shard.secretManagerUri()
              + "); give a shards file with the password to read its positions");
    }
    Properties p = new Properties();
    p.setProperty("user", shard.user());
    p.setProperty("password", shard.password() == null ? "" : shard.password());
    p.setProperty("connectTimeout", "10000");
    return DriverManager.getConnection(shard.jdbcUrl(), p);
  }

  /**
   * Reads every shard; a shard that cannot be read fails the whole read, naming it (a guess could
   * skip changes).
   */
  public Snapshot read() {
    List<Stream> out = new ArrayList<>();
    for (Shard s : shards) {
      Map<Integer, AppliedPosition> rows = new HashMap<>();
      try (Connection c = connector.open(s)) {
        c.setAutoCommit(true);
        table.createIfMissing(c);
        for (AppliedPosition p : table.readAll(c)) {
          if (p.shardId().equals(s.logicalShardId())) {
            rows.put(p.partition(), p);
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot read the applied positions of shard "
                + s.logicalShardId()
                + " ("
                + s.host()
                + ":"
                + s.port()
                + "): "
                + e.getMessage(),
            e);
      }
      java.util.TreeSet<Integer> partitions = new java.util.TreeSet<>(rows.keySet());
      for (int p = 0; p < partitionsPerShard; p++) {
        partitions.add(p);
      }
      // Rows of partitions beyond the configured count (an earlier run with more partitions) count
      // too.
      for (int p : partitions) {
        AppliedPosition row = rows.get(p);
        out.add(
            new Stream(
                s.logicalShardId(), p, row == null ? Optional.empty() : completeThrough(row)));
      }
    }
    return new Snapshot(out);
  }

  /**
   * Rule 2: registers every stream that has no row yet as complete through {@code start − 1 ns}.
   */
  public int register(Instant start) {
    long published = ChangePosition.toNanos(start) - 1;
    int inserted = 0;
    for (Shard s : shards) {
      try (Connection c = connector.open(s)) {
        c.setAutoCommit(true);
        table.createIfMissing(c);
        for (int p = 0; p < partitionsPerShard; p++) {
          if (table.read(c, s.logicalShardId(), p, false).isEmpty()) {
            table.insertIfMissing(c, s.logicalShardId(), p);
            AppliedPosition initial = AppliedPosition.initial(s.logicalShardId(), p);
            table.advancePublishedThrough(
                c,
                s.logicalShardId(),
                p,
                initial.epoch(),
                initial.sequence(),
                published,
                Instant.now());
            inserted++;
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot register the streams of shard "
                + s.logicalShardId()
                + " ("
                + s.host()
                + ":"
                + s.port()
                + "): "
                + e.getMessage(),
            e);
      }
    }
    return inserted;
  }

  /**
   * Rule 1: the later of the last applied commit and the published-through marker; empty when
   * neither is known.
   */
  public static Optional<Instant> completeThrough(AppliedPosition p) {
    Optional<Instant> commit =
        p.isInitial() || p.position().commitNanos() == Long.MIN_VALUE
            ? Optional.empty()
            : Optional.of(p.position().commitTimestamp());
    Optional<Instant> published =
        p.publishedThroughNanos() > 0
            ? Optional.of(ChangePosition.toInstant(p.publishedThroughNanos()))
            : Optional.empty();
    if (commit.isEmpty()) {
      return published;
    }
    if (published.isEmpty()) {
      return commit;
    }
    return commit.get().isAfter(published.get()) ? commit : published;
  }
}
