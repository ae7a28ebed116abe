package dev.reverserepl.launcher;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.cli.GenerateCommand;
import dev.reverserepl.launcher.cli.LocalCommand;
import dev.reverserepl.launcher.cli.ReplayCommand;
import dev.reverserepl.launcher.cli.RunCommand;
import dev.reverserepl.launcher.cutback.BlockWritesCommand;
import dev.reverserepl.launcher.cutback.CommitCommand;
import dev.reverserepl.launcher.cutback.ReverseCommand;
import dev.reverserepl.launcher.cutback.UnblockWritesCommand;
import dev.reverserepl.launcher.launch.LaunchCommand;
import dev.reverserepl.launcher.operate.PreflightCommand;
import dev.reverserepl.launcher.operate.StatusCommand;
import dev.reverserepl.launcher.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/rr}: the one command-line entry point. */
@Command(
    name = "rr",
    mixinStandardHelpOptions = true,
    versionProvider = Rr.Version.class,
    description = "Reverse replication from Cloud Spanner to sharded MySQL.",
    subcommands = {
      LocalCommand.class,
      ReplayCommand.class,
      RunCommand.class,
      GenerateCommand.class,
      LaunchCommand.class,
      StatusCommand.class,
      PreflightCommand.class,
      VerifyCommand.class,
      BlockWritesCommand.class,
      UnblockWritesCommand.class,
      CommitCommand.class,
      ReverseCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Rr implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Rr());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("rr " + commandLine.getCommandName() + ": " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
          }
          throw ex;
        });
    return cl;
  }

  public static void main(String[] args) {
    // Google's clients log their settings through java.util.logging at INFO on every start; keep the console
    // for progress and results.
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    int code = commandLine().execute(args);
    // The DirectRunner leaves non-daemon threads behind; end the JVM explicitly.
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Rr.class.getPackage().getImplementationVersion();
      return new String[] {"rr " + (v == null ? "development build" : v)};
    }
  }
}
