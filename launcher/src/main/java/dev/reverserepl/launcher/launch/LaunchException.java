package dev.reverserepl.launcher.launch;

/** Dataflow did not accept a job launch. */
public class LaunchException extends RuntimeException {
  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
