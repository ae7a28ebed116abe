package dev.reverserepl.launcher;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.cli.GenerateCommand;
import dev.reverserepl.launcher.cli.LocalCommand;
import dev.reverserepl.launcher.cli.ReplayCommand;
import dev.reverserepl.launcher.cli.ReprocessCommand;
import dev.reverserepl.launcher.cli.RunCommand;
import dev.reverserepl.launcher.cutback.BlockWritesCommand;
import dev.reverserepl.launcher.cutback.CommitCommand;
import dev.reverserepl.launcher.cutback.ReverseCommand;
import dev.reverserepl.launcher.cutback.UnblockWritesCommand;
import dev.reverserepl.launcher.launch.LaunchCommand;
import dev.reverserepl.launcher.operate.PauseCommand;
import dev.reverserepl.launcher.operate.PreflightCommand;
import dev.reverserepl.launcher.operate.ResumeCommand;
import dev.reverserepl.launcher.operate.ShardError;
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
    footer = {
      "",
      "Exit codes of every command:",
      "  0  done",
      "  1  failed: a mismatch, an unreachable shard, a pipeline error",
      "  2  bad arguments or input file (the message names the file, line or field)",
      "  3  ran, but row changes were dead-lettered (replay, reprocess), or tables unknown to the",
      "     session were met (replay --fail-on-unknown-tables)",
      "Environment: RR_JAVA_OPTS  JVM options (default -Xmx6g)",
      "             RR_REBUILD=1  rebuild the project before running",
      "Add --debug to any command for stack traces; bin/rr <command> --help for its options."
    },
    subcommands = {
      LocalCommand.class,
      ReplayCommand.class,
      RunCommand.class,
      ReprocessCommand.class,
      GenerateCommand.class,
      LaunchCommand.class,
      StatusCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
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

  /** Set by {@code --debug} on any command. */
  static volatile boolean debug;

  @CommandLine.Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Print stack traces of errors (default: one line naming file, field, shard or host:port).")
  void setDebug(boolean value) {
    debug = value;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Rr());
    cl.setUsageHelpWidth(110);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean badInput =
              ex instanceof ConfigException || ex instanceof IllegalArgumentException;
          if (debug) {
            ex.printStackTrace(commandLine.getErr());
          }
          commandLine
              .getErr()
              .println(
                  "rr "
                      + commandLine.getCommandName()
                      + ": "
                      + (badInput ? ex.getMessage() : ShardError.cause(ex))
                      + (debug || badInput ? "" : " (--debug shows the stack trace)"));
          return badInput ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
        });
    return cl;
  }

  public static void main(String[] args) {
    // commons-logging would discover spring-jcl's factory through the service loader and print a
    // notice about it.
    if (System.getProperty("org.apache.commons.logging.LogFactory") == null) {
      System.setProperty(
          "org.apache.commons.logging.LogFactory",
          "org.apache.commons.logging.impl.LogFactoryImpl");
    }
    // Google's clients log their settings through java.util.logging at INFO on every start; keep
    // the console
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

  /** Version and commit, written into the jar at build time ({@code build.properties}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Rr.class.getResourceAsStream("build.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "rr "
            + p.getProperty("version", "(version unknown: not built by Maven)")
            + ", commit "
            + p.getProperty("commit", "unknown")
      };
    }
  }
}
