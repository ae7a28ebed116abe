package dev.reverserepl.reverse;

/** A reverse-direction failure whose message names the shard (and host:port) and what to do. */
public final class ReverseException extends RuntimeException {
  public ReverseException(String message) {
    super(message);
  }

  public ReverseException(String message, Throwable cause) {
    super(message, cause);
  }
}
