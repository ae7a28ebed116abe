package dev.reverserepl.launcher.cutback;

/** A cut-back request that cannot be done now; {@code error} is the API's error name. */
public final class CutBackError extends RuntimeException {
  private final String error;

  public CutBackError(String error, String message) {
    super(message);
    this.error = error;
  }

  public CutBackError(String error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public String error() {
    return error;
  }
}
