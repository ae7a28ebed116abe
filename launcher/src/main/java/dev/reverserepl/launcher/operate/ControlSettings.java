package dev.reverserepl.launcher.operate;

import java.util.Optional;

/**
 * Where the control API listens and the token it requires. On the loopback address (the default) no
 * token is needed; bound anywhere else, every {@code /api/} call must carry the token — the one
 * given here, or one generated at start and printed once (see {@link
 * ControlServer.Handle#announce}). Port 0 picks a free port.
 */
public record ControlSettings(String bindAddress, int port, String token) {
  public static final String LOOPBACK = "127.0.0.1";

  public ControlSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("--api-bind: the control API's bind address must be set");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--api-port must be 0..65535, got " + port);
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("--api-token-file: the token is empty");
    }
  }

  public ControlSettings(String bindAddress, int port) {
    this(bindAddress, port, null);
  }

  public static ControlSettings defaults() {
    return new ControlSettings(LOOPBACK, 0, null);
  }

  public ControlSettings withBindAddress(String value) {
    return new ControlSettings(value, port, token);
  }

  public ControlSettings withPort(int value) {
    return new ControlSettings(bindAddress, value, token);
  }

  public ControlSettings withToken(String value) {
    return new ControlSettings(bindAddress, port, value);
  }

  public Optional<String> givenToken() {
    return Optional.ofNullable(token);
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "ControlSettings["
        + bindAddress
        + ":"
        + port
        + (token == null ? "" : ", token given")
        + "]";
  }
}
