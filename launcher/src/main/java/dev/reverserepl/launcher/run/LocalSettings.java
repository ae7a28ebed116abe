package dev.reverserepl.launcher.run;

import dev.reverserepl.launcher.operate.ControlSettings;
import java.nio.file.Path;

/** Settings of one {@code rr local} run; null session/schema/workDir mean the bundled sample and a temp dir; null control means no control API. */
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
    ControlSettings control) {}
