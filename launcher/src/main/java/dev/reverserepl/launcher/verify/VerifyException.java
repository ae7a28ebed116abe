package dev.reverserepl.launcher.verify;

/** The verifier could not read one side (as opposed to finding a difference). */
public final class VerifyException extends RuntimeException {
  public VerifyException(String message, Throwable cause) {
    super(message, cause);
  }
}
