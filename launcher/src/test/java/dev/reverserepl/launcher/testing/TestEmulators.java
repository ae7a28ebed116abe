package dev.reverserepl.launcher.testing;

import dev.reverserepl.ordering.testing.Emulators;
import java.util.Optional;

/**
 * The gcloud SDK's Spanner and Pub/Sub emulators (started through {@link Emulators}), once per JVM
 * and stopped by a shutdown hook. Empty when the SDK or an emulator is missing; callers then print
 * {@code SKIPPED (no emulator): ...}.
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

  /**
   * Prints the loud skip line when the emulators are absent; returns whether the test may go on.
   */
  public static Optional<TestEmulators> orSkip(String test) {
    Optional<TestEmulators> e = shared();
    if (e.isEmpty()) {
      System.out.println(
          "SKIPPED (no emulator): "
              + test
              + " — gcloud SDK with cloud_spanner_emulator and pubsub-emulator not found");
    }
    return e;
  }

  private static Optional<TestEmulators> start() {
    if (!Emulators.available()) {
      return Optional.empty();
    }
    Emulators.Running spanner = Emulators.startSpanner();
    Emulators.Running pubsub = Emulators.startPubSub();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pubsub.close();
                  spanner.close();
                }));
    return Optional.of(new TestEmulators(spanner.hostPort(), pubsub.hostPort()));
  }
}
