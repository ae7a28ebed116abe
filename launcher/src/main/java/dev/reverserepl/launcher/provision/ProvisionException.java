package dev.reverserepl.launcher.provision;

/**
 * A resource cannot be used as it is (wrong capture type, another topic or filter, missing
 * database).
 */
public class ProvisionException extends RuntimeException {
  public ProvisionException(String message) {
    super(message);
  }

  public ProvisionException(String message, Throwable cause) {
    super(message, cause);
  }
}
