package dev.reverserepl.launcher.cutback;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.reverserepl.launcher.verify.SpannerTarget;
import dev.reverserepl.reverse.ReverseSettings;
import dev.reverserepl.reverse.apply.ReversePositionTable;

/** An open Spanner client for the reverse direction; closing it closes the client. */
public final class SpannerConnection implements AutoCloseable {
  private final SpannerTarget target;
  private final Spanner spanner;

  private SpannerConnection(SpannerTarget target, Spanner spanner) {
    this.target = target;
    this.spanner = spanner;
  }

  public static SpannerConnection open(SpannerTarget target) {
    SpannerOptions.Builder b = SpannerOptions.newBuilder().setProjectId(target.project());
    if (target.emulatorHost() != null) {
      b.setEmulatorHost(target.emulatorHost())
          .setCredentials(NoCredentials.getInstance())
          .setBuiltInMetricsEnabled(false);
    }
    return new SpannerConnection(target, b.build().getService());
  }

  public SpannerTarget target() {
    return target;
  }

  public DatabaseClient client() {
    return spanner.getDatabaseClient(
        DatabaseId.of(target.project(), target.instance(), target.database()));
  }

  /** Creates the reverse position table when missing. */
  public void preparePositionTable(ReverseSettings settings) {
    new ReversePositionTable(settings.positionTable())
        .createIfMissing(
            client(), spanner.getDatabaseAdminClient(), target.instance(), target.database());
  }

  /** The emulator runs one read-write transaction per database at a time. */
  public boolean isEmulator() {
    return target.emulatorHost() != null;
  }

  @Override
  public void close() {
    spanner.close();
  }
}
