package dev.reverserepl.launcher.launch;

import picocli.CommandLine;

/** Runs {@code launch} on its own, until the {@code rr} command registers it as a subcommand. */
public final class LaunchMain {
  private LaunchMain() {}

  public static void main(String[] args) {
    int status = new CommandLine(new LaunchCommand()).execute(args);
    // client libraries leave non-daemon threads behind
    System.exit(status);
  }
}
