package dev.reverserepl.launcher.cli;

/** Exit codes shared by every subcommand. */
public final class ExitCodes {
  public static final int OK = 0;

  /** A failure while running (mismatch found, pipeline failed). */
  public static final int FAILED = 1;

  /** Bad arguments or bad input files; the message names the file, line or field. */
  public static final int BAD_INPUT = 2;

  /** Everything ran, but some changes were dead-lettered. */
  public static final int DEAD_LETTERED = 3;

  private ExitCodes() {}
}
