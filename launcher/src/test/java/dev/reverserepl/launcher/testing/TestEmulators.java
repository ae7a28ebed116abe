package dev.reverserepl.launcher.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gcloud SDK's Spanner and Pub/Sub emulators, started once per JVM on free ports and stopped by a shutdown hook.
 * Empty when the SDK or an emulator is missing; callers then print {@code SKIPPED (no emulator): ...}.
 */
public final class TestEmulators {
  private static Optional<TestEmulators> shared;

  private final String spannerHost;
  private final String pubsubHost;

  private TestEmulators(String spannerHost, String pubsubHost) {
    this.spannerHost = spannerHost;
    this.pubsubHost = pubsubHost;
  }

  public String spannerHost() {
    return spannerHost;
  }

  public String pubsubHost() {
    return pubsubHost;
  }

  public static synchronized Optional<TestEmulators> shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** Prints the loud skip line when the emulators are absent; returns whether the test may go on. */
  public static Optional<TestEmulators> orSkip(String test) {
    Optional<TestEmulators> e = shared();
    if (e.isEmpty()) {
      System.out.println("SKIPPED (no emulator): " + test
          + " — gcloud SDK with cloud_spanner_emulator and pubsub-emulator not found");
    }
    return e;
  }

  private static Optional<TestEmulators> start() {
    Optional<Path> sdk = sdkRoot();
    if (sdk.isEmpty()) {
      return Optional.empty();
    }
    Path spanner = sdk.get().resolve("bin/cloud_spanner_emulator/emulator_main");
    Path pubsub = sdk.get().resolve("platform/pubsub-emulator/bin/cloud-pubsub-emulator");
    if (!Files.isExecutable(spanner) || !Files.isExecutable(pubsub)) {
      return Optional.empty();
    }
    try {
      int spannerPort = freePort();
      int pubsubPort = freePort();
      Process sp = launch(List.of(spanner.toString(), "--host_port=127.0.0.1:" + spannerPort), "spanner-emulator");
      Process ps = launch(List.of(pubsub.toString(), "--host=127.0.0.1", "--port=" + pubsubPort),
          "pubsub-emulator");
      awaitPort(spannerPort, sp, 60);
      awaitPort(pubsubPort, ps, 90);
      return Optional.of(new TestEmulators("127.0.0.1:" + spannerPort, "127.0.0.1:" + pubsubPort));
    } catch (IOException e) {
      throw new IllegalStateException("emulators found but did not start", e);
    }
  }

  private static Process launch(List<String> command, String name) throws IOException {
    File log = File.createTempFile(name, ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }));
    return p;
  }

  private static void awaitPort(int port, Process p, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("emulator exited with status " + p.exitValue() + " before port " + port);
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
    throw new IllegalStateException("emulator did not open port " + port + " within " + seconds + " s");
  }

  private static Optional<Path> sdkRoot() {
    String env = System.getenv("CLOUDSDK_ROOT");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    try {
      Process p = new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
          .redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Path.of(out));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
