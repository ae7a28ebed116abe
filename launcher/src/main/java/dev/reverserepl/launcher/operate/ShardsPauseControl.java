package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Pauses and resumes by setting the flag in every shard's {@link ControlTable}, which the writers'
 * pause gates read before each transaction. Rules:
 *
 * <ol>
 *   <li>The state changes only after every shard has the new flag.
 *   <li>When a shard cannot be reached, the shards already flipped are set back and the state stays
 *       as it was, so the flags never disagree with the reported state.
 * </ol>
 */
public final class ShardsPauseControl implements PauseControl {
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

  private void set(Shard s, boolean paused, String action) throws SQLException {
    try (Connection c = connector.connect(s)) {
      c.setAutoCommit(true);
      table.createIfMissing(c);
      table.setPaused(c, paused, clock.instant(), "rr " + action);
    }
  }
}
