package dev.reverserepl.launcher.operate;

import picocli.CommandLine.Option;

/** The control API's command-line options; commands that start a run add it with {@code @Mixin}. */
public final class ControlOptions {
  @Option(names = "--api-bind", defaultValue = ControlSettings.LOOPBACK,
      description = "Address of the control API (default: ${DEFAULT-VALUE}). The API is unprotected: any other"
          + " address lets everyone who can reach it pause the run.")
  String bind;

  @Option(names = "--api-port", defaultValue = "0",
      description = "Port of the control API; 0 picks a free one and prints the URL (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--no-api", description = "Do not start the control API.")
  boolean disabled;

  public boolean enabled() {
    return !disabled;
  }

  public ControlSettings settings() {
    return new ControlSettings(bind, port);
  }
}
