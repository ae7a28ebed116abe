package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.progress.ProgressWaitColumns;
import dev.reverserepl.common.progress.ShardStatusTable;
import dev.reverserepl.common.progress.StreamWait;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every shard's progress table (and pause flag). The positions live in MySQL, written by the
 * writer in the same transaction as the rows, so this works the same whether the writer runs on
 * Dataflow or locally. A shard that cannot be read is reported as unreachable; it never fails the
 * whole read. Streams the writer reported as waiting for a missing sequence come from the same
 * rows.
 */
public final class ProgressReader {
  private final List<Shard> shards;
  private final ProgressTable progressTable;
  private final ControlTable controlTable;
  private final ShardConnector connector;
  private final int partitionsPerShard;

  public ProgressReader(List<Shard> shards) {
    this(
        shards,
        new ProgressTable(ProgressTable.DEFAULT_NAME),
        new ControlTable(),
        new ShardConnector());
  }

  public ProgressReader(
      List<Shard> shards,
      ProgressTable progressTable,
      ControlTable controlTable,
      ShardConnector connector) {
    this(shards, progressTable, controlTable, connector, 1);
  }

  private ProgressReader(
      List<Shard> shards,
      ProgressTable progressTable,
      ControlTable controlTable,
      ShardConnector connector,
      int partitionsPerShard) {
    if (partitionsPerShard < 1) {
      throw new IllegalArgumentException("partitionsPerShard must be >= 1: " + partitionsPerShard);
    }
    this.partitionsPerShard = partitionsPerShard;
    this.shards = List.copyOf(shards);
    this.progressTable = progressTable;
    this.controlTable = controlTable;
    this.connector = connector;
  }

  /**
   * A copy expecting {@code n} streams per shard: a partition without a progress row is not
   * complete.
   */
  public ProgressReader withPartitionsPerShard(int n) {
    return new ProgressReader(shards, progressTable, controlTable, connector, n);
  }

  public List<Shard> shards() {
    return shards;
  }

  /** One entry per shard, in shards-file order. */
  public List<ShardProgress> read() {
    List<ShardProgress> out = new ArrayList<>(shards.size());
    for (Shard s : shards) {
      out.add(read(s));
    }
    return out;
  }

  public ShardProgress read(Shard shard) {
    try (Connection c = connector.connect(shard)) {
      c.setAutoCommit(true);
      List<AppliedPosition> rows = new ArrayList<>();
      List<StreamWait> waiting = new ArrayList<>();
      if (tableExists(c, progressTable.tableName())) {
        waiting.addAll(new ProgressWaitColumns(progressTable).read(c, shard.logicalShardId()));
        for (AppliedPosition p : progressTable.readAll(c)) {
          // One progress table may be shared by several logical shards living in one database.
          if (p.shardId().equals(shard.logicalShardId())) {
            rows.add(p);
          }
        }
      }
      ShardPause pause = readPause(c);
      return ShardProgress.of(
              shard.logicalShardId(),
              pause.requested(),
              rows,
              waiting,
              new ShardStatusTable(progressTable).read(c, shard.logicalShardId()),
              partitionsPerShard)
          .withPause(pause);
    } catch (SQLException e) {
      return ShardProgress.unreachable(shard.logicalShardId(), ShardError.line(shard, e));
    }
  }

  private ShardPause readPause(Connection c) throws SQLException {
    if (!tableExists(c, controlTable.tableName())) {
      return ShardPause.RUNNING;
    }
    return ShardPause.of(controlTable.read(c));
  }

  static boolean tableExists(Connection c, String table) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      ps.setString(1, table);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
