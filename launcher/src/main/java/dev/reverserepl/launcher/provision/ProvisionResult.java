package dev.reverserepl.launcher.provision;

import java.util.List;
import java.util.Locale;

/**
 * What one provisioning step found or did. {@link #line()} is the report line {@code
 * created|exists|mismatch <resource>}; a mismatch carries the problem and stops the launch,
 * warnings never do.
 */
public record ProvisionResult(
    Status status, String resource, String problem, List<String> warnings) {

  public enum Status {
    CREATED,
    EXISTS,
    MISMATCH
  }

  public ProvisionResult {
    warnings = List.copyOf(warnings);
  }

  public static ProvisionResult created(String resource) {
    return new ProvisionResult(Status.CREATED, resource, null, List.of());
  }

  public static ProvisionResult exists(String resource, List<String> warnings) {
    return new ProvisionResult(Status.EXISTS, resource, null, warnings);
  }

  public static ProvisionResult mismatch(String resource, String problem) {
    return new ProvisionResult(Status.MISMATCH, resource, problem, List.of());
  }

  public String line() {
    return status.name().toLowerCase(Locale.ROOT) + " " + resource;
  }
}
