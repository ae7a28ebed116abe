package dev.reverserepl.ordering.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and starts the gcloud SDK's Spanner and Pub/Sub emulators on free loopback ports. Used by
 * tests, the local runner and the launcher tests. When the SDK or an emulator is absent, {@link
 * #availableOrSkip} prints the loud line {@code SKIPPED (no emulator): <test>} and returns false.
 */
public final class Emulators {
  static final String SPANNER = "bin/cloud_spanner_emulator/emulator_main";
  static final String PUBSUB = "platform/pubsub-emulator/bin/cloud-pubsub-emulator";

  /**
   * The change-stream connector's watermark moves when a partition query ends, and the emulator's
   * partitions live 20-40 s by default. With partitions of 2-4 s, {@code rr local} read a 20,000
   * change backlog at about 125 changes/s against about 40 with the default.
   */
  static final String SHORT_PARTITIONS_FLAG =
      "override_change_stream_partition_token_alive_seconds";

  private Emulators() {}

  /** A started emulator process; {@link #close()} stops it and its children. */
  public record Running(String name, String hostPort, Process process, Path log)
      implements AutoCloseable {
    /** {@code http://host:port}, the form Pub/Sub's root URL option takes. */
    public String httpUrl() {
      return "http://" + hostPort;
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The gcloud SDK root: {@code CLOUDSDK_ROOT}, else {@code gcloud info}, else the Debian package
   * location.
   */
  public static Optional<Path> sdkRoot() {
    String env = System.getenv("CLOUDSDK_ROOT");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    try {
      Process p =
          new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
        return Optional.of(Path.of(out));
      }
    } catch (IOException e) {
      // no gcloud on the PATH
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Path debian = Path.of("/usr/lib/google-cloud-sdk");
    return Files.isDirectory(debian) ? Optional.of(debian) : Optional.empty();
  }

  /** True when both emulators are installed. */
  public static boolean available() {
    return sdkRoot()
        .map(r -> Files.isExecutable(r.resolve(SPANNER)) && Files.isExecutable(r.resolve(PUBSUB)))
        .orElse(false);
  }

  /** {@link #available()}, printing {@code SKIPPED (no emulator): test} when not. */
  public static boolean availableOrSkip(String test) {
    if (available()) {
      return true;
    }
    System.out.println(
        "SKIPPED (no emulator): "
            + test
            + " -- the gcloud SDK's cloud_spanner_emulator and pubsub-emulator are not installed");
    return false;
  }

  public static Running startSpanner() {
    int port = EmbeddedKafka.freePort();
    Path bin =
        sdkRoot()
            .orElseThrow(() -> new IllegalStateException("gcloud SDK not found"))
            .resolve(SPANNER);
    List<String> command =
        new ArrayList<>(List.of(bin.toString(), "--host_port=127.0.0.1:" + port));
    if (knowsFlag(bin, SHORT_PARTITIONS_FLAG)) {
      command.add("--" + SHORT_PARTITIONS_FLAG + "=2");
    }
    return launch("spanner-emulator", command, port, 60);
  }

  /**
   * Whether this emulator build takes {@code flag}; an older one refuses to start on a flag it does
   * not know.
   */
  private static boolean knowsFlag(Path bin, String flag) {
    try {
      Process p =
          new ProcessBuilder(bin.toString(), "--helpfull").redirectErrorStream(true).start();
      String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return help.contains("--" + flag + " ");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public static Running startPubSub() {
    int port = EmbeddedKafka.freePort();
    Path bin =
        sdkRoot()
            .orElseThrow(() -> new IllegalStateException("gcloud SDK not found"))
            .resolve(PUBSUB);
    return launch(
        "pubsub-emulator",
        List.of(bin.toString(), "--host=127.0.0.1", "--port=" + port),
        port,
        120);
  }

  private static Running launch(String name, List<String> command, int port, int seconds) {
    try {
      File log = File.createTempFile(name + "-", ".log");
      log.deleteOnExit();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
      Running running = new Running(name, "127.0.0.1:" + port, p, log.toPath());
      Runtime.getRuntime().addShutdownHook(new Thread(running::close));
      awaitPort(running, port, seconds);
      return running;
    } catch (IOException e) {
      throw new IllegalStateException(name + " could not be started", e);
    }
  }

  private static void awaitPort(Running r, int port, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!r.process().isAlive()) {
        throw new IllegalStateException(
            r.name() + " exited with status " + r.process().exitValue() + "; log: " + r.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    r.close();
    throw new IllegalStateException(
        r.name() + " did not open port " + port + " within " + seconds + " s; log: " + r.log());
  }
}
