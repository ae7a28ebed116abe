package dev.reverserepl.launcher.operate;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request that does not fit the current {@link SyncState}; carries both for the API's error
 * document.
 */
public final class InvalidStateTransitionException extends RuntimeException {
  private final SyncState current;
  private final Set<SyncState> required;

  public InvalidStateTransitionException(
      String action, SyncState current, Set<SyncState> required) {
    super(
        "cannot "
            + action
            + ": current state "
            + current
            + ", required "
            + required.stream().map(Enum::name).sorted().collect(Collectors.joining(" or ")));
    this.current = current;
    this.required = Set.copyOf(required);
  }

  public SyncState current() {
    return current;
  }

  public Set<SyncState> required() {
    return required;
  }
}
