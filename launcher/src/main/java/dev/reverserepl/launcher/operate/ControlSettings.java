package dev.reverserepl.launcher.operate;

/**
 * Where the control API listens. The API has no authentication: it binds to the loopback address by default, and
 * binding it anywhere else lets anyone who can reach the port pause the run. Port 0 picks a free port.
 */
public record ControlSettings(String bindAddress, int port) {
  public static final String LOOPBACK = "127.0.0.1";

  public ControlSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("api bind address must be set");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("api port must be 0..65535: " + port);
    }
  }

  public static ControlSettings defaults() {
    return new ControlSettings(LOOPBACK, 0);
  }

  public ControlSettings withBindAddress(String value) {
    return new ControlSettings(value, port);
  }

  public ControlSettings withPort(int value) {
    return new ControlSettings(bindAddress, value);
  }
}
