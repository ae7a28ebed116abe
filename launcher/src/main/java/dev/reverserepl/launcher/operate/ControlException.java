package dev.reverserepl.launcher.operate;

/**
 * A control action that fit the state but could not be carried out (e.g. a shard was unreachable).
 */
public final class ControlException extends RuntimeException {
  private final String error;

  public ControlException(String error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The short error name of the API's error document, e.g. {@code ShardUnreachable}. */
  public String error() {
    return error;
  }
}
