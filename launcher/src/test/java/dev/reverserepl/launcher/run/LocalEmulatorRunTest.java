package dev.reverserepl.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.ordering.testing.Emulators;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rr local --emulators}: the workload committed into the Spanner emulator, read through its
 * change stream, buffered in the Pub/Sub emulator and applied to two MySQL shards, which are then
 * verified against Spanner.
 */
class LocalEmulatorRunTest {

  @Test
  void emulatorChain_everyShardMatchesSpanner(@TempDir Path dir) throws Exception {
    if (!Emulators.availableOrSkip("LocalEmulatorRunTest.emulatorChain_everyShardMatchesSpanner")) {
      Assumptions.abort("no emulator");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8);
    LocalSettings settings =
        new LocalSettings(2, 200, 7, null, null, "kafka", 1, false, dir.resolve("work"), null)
            .withEmulators(LocalSettings.EmulatorMode.ON);

    int exit = new LocalRun(settings, out).call();

    String text = captured.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.OK, exit, "exit code");
    assertTrue(
        text.contains("verification against the Spanner emulator's database"),
        "verified against Spanner");
    assertTrue(text.contains("VERIFIED: every shard matches Spanner"), "verification matched");
    assertTrue(text.contains("progress "), "progress lines printed");
  }

  @Test
  void noEmulatorsByDefault_settingsWithoutAModeStayOnTheDirectPath() {
    LocalSettings settings =
        new LocalSettings(2, 200, 7, null, null, "kafka", 1, false, null, null);
    assertEquals(LocalSettings.EmulatorMode.OFF, settings.emulators());
    assertTrue(
        !LocalEmulatorRun.wanted(settings, new PrintStream(OutputStream.nullOutputStream())));
  }

  @Test
  void auto_aSessionWithoutSpannerSchemaRunsWithoutEmulators() {
    LocalSettings settings =
        new LocalSettings(
                2,
                200,
                7,
                Path.of("session.json"),
                Path.of("schema.sql"),
                "kafka",
                1,
                false,
                null,
                null)
            .withEmulators(LocalSettings.EmulatorMode.AUTO);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    assertTrue(
        !LocalEmulatorRun.wanted(settings, new PrintStream(text, true, StandardCharsets.UTF_8)));
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("no --spanner-schema"),
        text.toString(StandardCharsets.UTF_8));
  }

  @Test
  void on_aSessionWithoutSpannerSchemaIsABadArgument() {
    LocalSettings settings =
        new LocalSettings(
                2,
                200,
                7,
                Path.of("session.json"),
                Path.of("schema.sql"),
                "kafka",
                1,
                false,
                null,
                null)
            .withEmulators(LocalSettings.EmulatorMode.ON);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                LocalEmulatorRun.wanted(
                    settings, new PrintStream(OutputStream.nullOutputStream())));
    assertTrue(e.getMessage().contains("--spanner-schema"), e.getMessage());
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
