package dev.reverserepl.writer.apply;

import dev.reverserepl.common.shards.Shard;
import java.io.Serializable;

/**
 * Finds a shard's password: from the shards file, or from wherever {@code secretManagerUri} points.
 */
@FunctionalInterface
public interface PasswordResolver extends Serializable {
  /** The password to log in with; null or empty for none. */
  String password(Shard shard);

  /** Only passwords written in the shards file; a shard that needs Secret Manager is an error. */
  PasswordResolver FROM_FILE =
      shard -> {
        if (shard.password() == null && shard.secretManagerUri() != null) {
          throw new IllegalStateException(
              "shard "
                  + shard.logicalShardId()
                  + " needs Secret Manager ("
                  + shard.secretManagerUri()
                  + ") but no Secret Manager resolver is configured");
        }
        return shard.password();
      };
}
