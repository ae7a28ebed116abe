package dev.reverserepl.launcher.operate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The control API's command-line options; commands that start a run add it with {@code @Mixin}. */
public final class ControlOptions {
  @Option(
      names = "--api-bind",
      defaultValue = ControlSettings.LOOPBACK,
      paramLabel = "<address>",
      description =
          "Address of the control API and dashboard (default: ${DEFAULT-VALUE}). Any other address"
              + " requires a token on every API call (see --api-token-file).")
  String bind;

  @Option(
      names = "--api-port",
      defaultValue = "0",
      paramLabel = "<port>",
      description =
          "Port of the control API; 0 picks a free one and prints the URL (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--api-token-file",
      paramLabel = "<file>",
      description =
          "File holding the token the API requires when bound beyond loopback (default: a new token,"
              + " printed once at start).")
  Path tokenFile;

  @Option(names = "--no-api", description = "Do not start the control API.")
  boolean disabled;

  public boolean enabled() {
    return !disabled;
  }

  public ControlSettings settings() {
    ControlSettings s = new ControlSettings(bind, port);
    if (tokenFile == null) {
      return s;
    }
    try {
      return s.withToken(Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--api-token-file: cannot read " + tokenFile + ": " + e.getMessage());
    }
  }
}
