package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ControlSettings;
import java.nio.file.Path;

/**
 * Settings of one {@code rr local} run; null session/schema/workDir mean the bundled sample and a
 * temp dir; null control means no control API; null spannerSchema means the bundled sample's
 * (needed with the emulators when a session is given). {@code buffer} is the {@code --buffer} flag
 * as given: a {@link ReplayBuffer} spelling, read only without the emulators (they buffer in
 * Pub/Sub).
 */
public record LocalSettings(
    int shards,
    long changes,
    long seed,
    Path session,
    Path schema,
    String buffer,
    int partitionsPerShard,
    boolean keep,
    Path workDir,
    ControlSettings control,
    EmulatorMode emulators,
    Path spannerSchema) {

  /** Whether the chain runs through the gcloud Spanner and Pub/Sub emulators. */
  public enum EmulatorMode {
    /** Use them when both are installed. */
    AUTO,
    /** Use them; fail when they are not installed. */
    ON,
    /** Never use them: change records go straight into the ordering pipeline. */
    OFF
  }

  /** Without the emulators, as tests want by default. */
  public LocalSettings(
      int shards,
      long changes,
      long seed,
      Path session,
      Path schema,
      String buffer,
      int partitionsPerShard,
      boolean keep,
      Path workDir,
      ControlSettings control) {
    this(
        shards,
        changes,
        seed,
        session,
        schema,
        buffer,
        partitionsPerShard,
        keep,
        workDir,
        control,
        EmulatorMode.OFF,
        null);
  }

  public LocalSettings withEmulators(EmulatorMode mode) {
    return new LocalSettings(
        shards,
        changes,
        seed,
        session,
        schema,
        buffer,
        partitionsPerShard,
        keep,
        workDir,
        control,
        mode,
        spannerSchema);
  }

  public LocalSettings withSpannerSchema(Path file) {
    return new LocalSettings(
        shards,
        changes,
        seed,
        session,
        schema,
        buffer,
        partitionsPerShard,
        keep,
        workDir,
        control,
        emulators,
        file);
  }
}
