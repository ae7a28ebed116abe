package dev.reverserepl.launcher.run;

import java.io.PrintStream;
import java.nio.file.Path;

/** The verification that ends {@code rr local}: MySQL against what the change records imply. */
final class LocalVerification {
  private LocalVerification() {}

  static boolean verify(Path session, Path shardsFile, Path changes, PrintStream out) {
    throw new IllegalStateException("verification is wired when the verifier lands");
  }
}
