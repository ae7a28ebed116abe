package dev.reverserepl.launcher.run;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.verify.VerificationReport;
import dev.reverserepl.launcher.verify.Verifier;
import dev.reverserepl.launcher.verify.VerifySettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/** The verification that ends {@code rr local}: MySQL against what the change records imply. */
final class LocalVerification {
  private LocalVerification() {}

  static VerificationReport verify(Path session, Path shardsFile, Path changes, PrintStream out) {
    Verifier verifier =
        new Verifier(
            SessionMapping.load(session.toString()),
            ShardsFile.load(shardsFile.toString()),
            VerifySettings.defaults().withRecheckDelay(Duration.ofSeconds(1)));
    VerificationReport report = verifier.verifyChanges(changes.toString());
    out.println("rr local: verification against the state the change records imply");
    report.print(out);
    return report;
  }
}
