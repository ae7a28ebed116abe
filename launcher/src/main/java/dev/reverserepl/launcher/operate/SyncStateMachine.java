package dev.reverserepl.launcher.operate;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The current {@link SyncState} of a run and the only transitions allowed between states:
 *
 * <pre>
 *   IDLE → STARTING → RUNNING ⇄ PAUSED
 *   RUNNING → COMPLETED
 *   STARTING | RUNNING | PAUSED → FAILED
 *   RUNNING | PAUSED | COMPLETED → COMMITTING → COMMITTED → REVERSING → RUNNING   (cut-back, then reverse)
 *   RUNNING → REVERSING                                                          (a further reverse flips back)
 *   COMMITTING | REVERSING → FAILED;  REVERSING → COMMITTED                       (a reverse that could not start)
 * </pre>
 *
 * Anything else throws {@link InvalidStateTransitionException} naming the current and the required
 * state. Thread-safe.
 */
public final class SyncStateMachine {
  private static final Map<SyncState, Set<SyncState>> ALLOWED = allowed();

  private SyncState state;

  public SyncStateMachine() {
    this(SyncState.IDLE);
  }

  public SyncStateMachine(SyncState initial) {
    this.state = initial;
  }

  public synchronized SyncState current() {
    return state;
  }

  /** Moves to {@code next}; throws when the current state does not allow it. */
  public synchronized void transition(SyncState next) {
    if (!ALLOWED.get(state).contains(next)) {
      throw new InvalidStateTransitionException("move to " + next, state, sourcesOf(next));
    }
    state = next;
  }

  /**
   * Throws unless the current state is one of {@code required}; used before side effects of a
   * transition.
   */
  public synchronized void require(String action, Set<SyncState> required) {
    if (!required.contains(state)) {
      throw new InvalidStateTransitionException(action, state, required);
    }
  }

  /** The states from which {@code target} may be reached. */
  public static Set<SyncState> sourcesOf(SyncState target) {
    Set<SyncState> from = EnumSet.noneOf(SyncState.class);
    ALLOWED.forEach(
        (s, targets) -> {
          if (targets.contains(target)) {
            from.add(s);
          }
        });
    return from;
  }

  private static Map<SyncState, Set<SyncState>> allowed() {
    Map<SyncState, Set<SyncState>> m = new EnumMap<>(SyncState.class);
    for (SyncState s : SyncState.values()) {
      m.put(s, EnumSet.noneOf(SyncState.class));
    }
    m.get(SyncState.IDLE).add(SyncState.STARTING);
    m.get(SyncState.STARTING).addAll(EnumSet.of(SyncState.RUNNING, SyncState.FAILED));
    m.get(SyncState.RUNNING)
        .addAll(EnumSet.of(SyncState.PAUSED, SyncState.COMPLETED, SyncState.FAILED));
    m.get(SyncState.PAUSED).addAll(EnumSet.of(SyncState.RUNNING, SyncState.FAILED));
    for (SyncState s : EnumSet.of(SyncState.RUNNING, SyncState.PAUSED, SyncState.COMPLETED)) {
      m.get(s).add(SyncState.COMMITTING);
    }
    m.get(SyncState.RUNNING).add(SyncState.REVERSING);
    m.get(SyncState.COMMITTING).addAll(EnumSet.of(SyncState.COMMITTED, SyncState.FAILED));
    m.get(SyncState.COMMITTED).add(SyncState.REVERSING);
    m.get(SyncState.REVERSING)
        .addAll(EnumSet.of(SyncState.RUNNING, SyncState.COMMITTED, SyncState.FAILED));
    return m;
  }
}
