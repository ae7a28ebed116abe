package dev.reverserepl.writer.apply;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.reverserepl.common.shards.Shard;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The production resolver: the shards file's password when given, otherwise the secret version
 * named by {@code secretManagerUri} ({@code projects/<p>/secrets/<s>/versions/<v>}), read with the
 * worker's default credentials.
 */
public final class SecretManagerPasswordResolver implements PasswordResolver {
  @Override
  public String password(Shard shard) {
    if (shard.password() != null || shard.secretManagerUri() == null) {
      return shard.password();
    }
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create()) {
      AccessSecretVersionResponse r = client.accessSecretVersion(shard.secretManagerUri());
      return r.getPayload().getData().toStringUtf8();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the password of shard "
              + shard.logicalShardId()
              + " from "
              + shard.secretManagerUri(),
          e);
    }
  }
}
