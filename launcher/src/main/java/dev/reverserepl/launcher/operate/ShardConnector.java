package dev.reverserepl.launcher.operate;

import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens short-lived JDBC connections to shards for the operator commands (status, pause, preflight,
 * verify). A short connect timeout keeps one unreachable shard from stalling a report about all the
 * others.
 */
public final class ShardConnector {
  private final Duration connectTimeout;

  public ShardConnector() {
    this(Duration.ofSeconds(5));
  }

  public ShardConnector(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Connection connect(Shard shard) throws SQLException {
    if (shard.password() == null && shard.secretManagerUri() != null) {
      throw new SQLException(
          "shard "
              + shard.logicalShardId()
              + ": its password is in Secret Manager ("
              + shard.secretManagerUri()
              + "); pass a shards file with the password resolved");
    }
    Properties p = new Properties();
    p.setProperty("user", shard.user());
    p.setProperty("password", shard.password() == null ? "" : shard.password());
    p.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
    p.setProperty("socketTimeout", Long.toString(Math.max(connectTimeout.toMillis() * 6, 30_000)));
    return DriverManager.getConnection(shard.jdbcUrl(), p);
  }
}
