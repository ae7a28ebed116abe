package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pauses and resumes by setting the flag in every shard's {@link ControlTable}, which every apply
 * transaction reads under a shared lock (writer rule 17): setting it waits for the transaction in
 * flight, and once set no later transaction of the shard applies anything. Rules:
 *
 * <ol>
 *   <li>The state changes only after every shard has the new flag.
 *   <li>When a shard cannot be reached, the shards already flipped are set back and the state stays
 *       as it was, so the flags never disagree with the reported state.
 * </ol>
 */
public final class ShardsPauseControl implements PauseControl {
  private static final String DEADLOCK = "40001";
  private final SyncStateMachine machine;
  private final List<Shard> shards;
  private final ControlTable table;
  private final ShardConnector connector;
  private final Clock clock;

  public ShardsPauseControl(SyncStateMachine machine, List<Shard> shards) {
    this(machine, shards, new ControlTable(), new ShardConnector(), Clock.systemUTC());
  }

  public ShardsPauseControl(
      SyncStateMachine machine,
      List<Shard> shards,
      ControlTable table,
      ShardConnector connector,
      Clock clock) {
    this.machine = machine;
    this.shards = List.copyOf(shards);
    this.table = table;
    this.connector = connector;
    this.clock = clock;
  }

  @Override
  public SyncState state() {
    return machine.current();
  }

  @Override
  public synchronized void pause() {
    machine.require("pause", EnumSet.of(SyncState.RUNNING));
    setAll(true, "pause");
    machine.transition(SyncState.PAUSED);
  }

  @Override
  public synchronized void resume() {
    machine.require("resume", EnumSet.of(SyncState.PAUSED));
    setAll(false, "resume");
    machine.transition(SyncState.RUNNING);
  }

  /** Reads every shard's control row: requested versus acknowledged. */
  @Override
  public PauseReport pauseReport() {
    Map<String, ShardPause> read = new LinkedHashMap<>();
    Map<String, String> unreachable = new LinkedHashMap<>();
    for (Shard s : shards) {
      try (Connection c = connector.connect(s)) {
        c.setAutoCommit(true);
        read.put(
            s.logicalShardId(),
            ProgressReader.tableExists(c, table.tableName())
                ? ShardPause.of(table.read(c))
                : ShardPause.RUNNING);
      } catch (SQLException e) {
        unreachable.put(s.logicalShardId(), ShardError.line(s, e));
      }
    }
    return new PauseReport(read, unreachable);
  }

  /** Clears a pause left behind by an earlier run; call before starting writers. */
  public void clearFlags() {
    setAll(false, "start");
  }

  private void setAll(boolean paused, String action) {
    List<Shard> done = new ArrayList<>();
    for (Shard s : shards) {
      try {
        set(s, paused, action);
        done.add(s);
      } catch (SQLException e) {
        for (Shard d : done) {
          try {
            set(d, !paused, action + " undone");
          } catch (SQLException ignored) {
            // Already reporting the first failure; the operator retries the call.
          }
        }
        throw new ControlException(
            "ShardUnreachable", "cannot " + action + ": " + ShardError.line(s, e), e);
      }
    }
  }

  // The flag's exclusive lock waits for the apply transactions in flight; should InnoDB pick the
  // pause as a deadlock's victim (a writer waiting on another), it is simply set again.
  private void set(Shard s, boolean paused, String action) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connector.connect(s)) {
        c.setAutoCommit(true);
        table.createIfMissing(c);
        table.setPaused(c, paused, clock.instant(), "rr " + action);
        return;
      } catch (SQLException e) {
        if (!DEADLOCK.equals(e.getSQLState()) || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
