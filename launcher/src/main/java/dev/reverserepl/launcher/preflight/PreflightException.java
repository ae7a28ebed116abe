package dev.reverserepl.launcher.preflight;

/** A check before provisioning failed; the message names the file or shard, and what to fix. */
public class PreflightException extends RuntimeException {
  public PreflightException(String message) {
    super(message);
  }

  public PreflightException(String message, Throwable cause) {
    super(message, cause);
  }
}
