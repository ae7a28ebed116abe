package dev.reverserepl.launcher.provision;

import com.google.cloud.spanner.DatabaseAdminClient;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Ensures the database the change-stream connector keeps its partition metadata in exists (it may
 * be empty).
 */
public final class MetadataDatabaseProvisioner {
  private final Spanner spanner;

  public MetadataDatabaseProvisioner(Spanner spanner) {
    this.spanner = spanner;
  }

  public ProvisionResult ensure(String project, String instance, String database) {
    String resource =
        Resources.metadataDatabase(Resources.databasePath(project, instance, database));
    DatabaseAdminClient admin = spanner.getDatabaseAdminClient();
    if (exists(admin, instance, database)) {
      return ProvisionResult.exists(resource, List.of());
    }
    try {
      admin.createDatabase(instance, database, List.of()).get();
      return ProvisionResult.created(resource);
    } catch (ExecutionException e) {
      if (exists(admin, instance, database)) {
        return ProvisionResult.exists(resource, List.of());
      }
      throw new ProvisionException(
          "cannot create " + resource + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisionException("interrupted while creating " + resource, e);
    }
  }

  private static boolean exists(DatabaseAdminClient admin, String instance, String database) {
    try {
      admin.getDatabase(instance, database);
      return true;
    } catch (SpannerException e) {
      if (e.getErrorCode() == ErrorCode.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
